package org.armature.nn;

/**
 * The index map shared by {@link Conv1d} and {@link ConvTranspose1d} on channels-last sequences: row {@code (b, t)}
 * of a "columns" matrix, column {@code j · C + c}, is element {@code (b, t · stride − pad + j, c)} of a sequence of
 * length {@code seqLen} (zero outside it), for taps {@code j < k}. The taps of one row are consecutive sequence steps,
 * so a row is one contiguous span of the sequence's memory: {@link #gather} is a memory copy per row.
 */
final class Im2col {

    private Im2col() {
    }

    /** {@code cols[(b, t), j·C + c] = seq[b, t·stride − pad + j, c]}, zero outside {@code [0, seqLen)}. */
    static void gather(Mat seq, int seqLen, Mat cols, int colsLen, int batch, int channels, int k, int stride,
                       int pad) {
        seq.toHost();
        cols.toHost();
        long w = seq.isDouble() ? 8 : 4;
        long rowBytes = channels * w;
        long src = seq.address();
        long dst = cols.address();
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < colsLen; t++) {
                int s0 = t * stride - pad;                        // sequence step of tap 0
                int j0 = Math.max(0, -s0);                         // first tap inside the sequence
                int j1 = Math.min(k, seqLen - s0);                 // one past the last
                long row = dst + ((long) (b * colsLen + t) * k) * rowBytes;
                if (j1 <= j0) {
                    Mat.U.setMemory(row, k * rowBytes, (byte) 0);
                    continue;
                }
                if (j0 > 0) {
                    Mat.U.setMemory(row, j0 * rowBytes, (byte) 0);
                }
                Mat.U.copyMemory(src + ((long) b * seqLen + s0 + j0) * rowBytes, row + j0 * rowBytes,
                        (j1 - j0) * rowBytes);
                if (j1 < k) {
                    Mat.U.setMemory(row + j1 * rowBytes, (k - j1) * rowBytes, (byte) 0);
                }
            }
        }
        cols.hostWritten();
    }

    /** The adjoint of {@link #gather}: {@code seq[b, t·stride − pad + j, c] += cols[(b, t), j·C + c]}. */
    static void scatterAdd(Mat cols, int colsLen, Mat seq, int seqLen, int batch, int channels, int k, int stride,
                           int pad) {
        cols.toHost();
        seq.toHost();
        boolean dbl = seq.isDouble();
        long w = dbl ? 8 : 4;
        long src = cols.address();
        long dst = seq.address();
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < colsLen; t++) {
                int s0 = t * stride - pad;
                int j0 = Math.max(0, -s0);
                int j1 = Math.min(k, seqLen - s0);
                if (j1 <= j0) {
                    continue;
                }
                // taps j0..j1-1 of this row cover a contiguous span of the sequence
                long from = src + ((long) (b * colsLen + t) * k + j0) * channels * w;
                long to = dst + ((long) b * seqLen + s0 + j0) * channels * w;
                int n = (j1 - j0) * channels;
                if (dbl) {
                    for (int i = 0; i < n; i++) {
                        long o = 8L * i;
                        Mat.U.putDouble(to + o, Mat.U.getDouble(to + o) + Mat.U.getDouble(from + o));
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        long o = 4L * i;
                        Mat.U.putFloat(to + o, Mat.U.getFloat(to + o) + Mat.U.getFloat(from + o));
                    }
                }
            }
        }
        seq.hostWritten();
    }

    /** Sets every element to zero. */
    static void zero(Mat m) {
        m.toHost();
        Mat.U.setMemory(m.address(), (long) m.length() * (m.isDouble() ? 8 : 4), (byte) 0);
        m.hostWritten();
    }
}
