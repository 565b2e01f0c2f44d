package org.armature.offline.data;

import java.nio.file.Files;
import java.nio.file.Path;

import io.jhdf.HdfFile;
import io.jhdf.exceptions.HdfException;
import org.armature.agents.data.MalformedDatasetException;
import org.armature.agents.data.OfflineDataset;

/** Opens a dataset in either layout: a D4RL-layout HDF5 file, or a Minari dataset (directory or main_data.hdf5). */
public final class DatasetFiles {

    private DatasetFiles() {
    }

    public static OfflineDataset read(Path path) {
        if (Files.isDirectory(path)) {
            return MinariImport.read(path);
        }
        if (!Files.isRegularFile(path)) {
            throw new MalformedDatasetException("dataset file " + path + " does not exist");
        }
        boolean minari;
        try (HdfFile h = new HdfFile(path)) {
            minari = h.getChild("observations") == null
                    && h.getChildren().keySet().stream().anyMatch(k -> k.startsWith("episode_"));
        } catch (HdfException e) {
            throw new MalformedDatasetException("cannot read " + path + " as HDF5: " + e.getMessage());
        }
        return minari ? MinariImport.read(path) : D4rlHdf5.read(path);
    }
}
