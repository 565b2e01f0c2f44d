package org.armature.train;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * A CSV file of a run directory that a training loop appends rows to ({@code metrics.csv}, {@code eval.csv}): the
 * header once, the first column the step (what {@link RunDirectory#keepRowsUpTo} keeps on resume), one flush per row
 * so an interrupted run keeps every row it wrote.
 */
public final class CsvLog implements Closeable {

    private final Path file;
    private final List<String> columns;
    private final BufferedWriter out;

    private CsvLog(Path file, List<String> columns, BufferedWriter out) {
        this.file = file;
        this.columns = List.copyOf(columns);
        this.out = out;
    }

    /** Creates {@code file} with the header, or with {@code append} continues it (writing the header if it is empty). */
    static CsvLog open(Path file, List<String> columns, boolean append) throws IOException {
        boolean continued = append && Files.isRegularFile(file) && Files.size(file) > 0;
        BufferedWriter w = continued
                ? Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND)
                : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        CsvLog log = new CsvLog(file, columns, w);
        if (!continued) {
            log.line(String.join(",", columns));
        }
        return log;
    }

    /** One row, a value per column in order. */
    public void write(List<String> values) throws IOException {
        if (values.size() != columns.size()) {
            throw new IllegalArgumentException(file.getFileName() + ": a row of " + values.size() + " values, the "
                    + "header has " + columns.size());
        }
        line(String.join(",", values));
    }

    /** One row from named values; a column without a value stays empty. */
    public void write(Map<String, String> row) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(row.getOrDefault(columns.get(i), ""));
        }
        line(sb.toString());
    }

    private void line(String s) throws IOException {
        out.write(s);
        out.newLine();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
