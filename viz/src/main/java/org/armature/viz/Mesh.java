package org.armature.viz;

import static org.lwjgl.opengl.GL33C.*;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;

import org.lwjgl.system.MemoryUtil;

/** An indexed triangle mesh on the GPU with interleaved position (3 floats) and normal (3 floats). */
final class Mesh implements AutoCloseable {

    private final int vao;
    private final int vbo;
    private final int ebo;
    private final int indexCount;

    Mesh(float[] positionsAndNormals, int[] indices) {
        vao = glGenVertexArrays();
        vbo = glGenBuffers();
        ebo = glGenBuffers();
        indexCount = indices.length;
        glBindVertexArray(vao);
        FloatBuffer v = MemoryUtil.memAllocFloat(positionsAndNormals.length);
        IntBuffer e = MemoryUtil.memAllocInt(indices.length);
        try {
            v.put(positionsAndNormals).flip();
            e.put(indices).flip();
            glBindBuffer(GL_ARRAY_BUFFER, vbo);
            glBufferData(GL_ARRAY_BUFFER, v, GL_STATIC_DRAW);
            glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ebo);
            glBufferData(GL_ELEMENT_ARRAY_BUFFER, e, GL_STATIC_DRAW);
        } finally {
            MemoryUtil.memFree(v);
            MemoryUtil.memFree(e);
        }
        glVertexAttribPointer(0, 3, GL_FLOAT, false, 24, 0);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(1, 3, GL_FLOAT, false, 24, 12);
        glEnableVertexAttribArray(1);
        glBindVertexArray(0);
    }

    void draw() {
        glBindVertexArray(vao);
        glDrawElements(GL_TRIANGLES, indexCount, GL_UNSIGNED_INT, 0);
    }

    @Override
    public void close() {
        glDeleteBuffers(vbo);
        glDeleteBuffers(ebo);
        glDeleteVertexArrays(vao);
    }

    // ---- unit primitives: all centred at the origin, extent 1 along each scaled axis ----

    /** The cube [-1, 1]^3 with flat face normals. */
    static Mesh cube() {
        float[] v = new float[6 * 4 * 6];
        int[] idx = new int[6 * 6];
        int k = 0;
        int n = 0;
        int face = 0;
        for (int axis = 0; axis < 3; axis++) {
            for (int sign = -1; sign <= 1; sign += 2) {
                int u = (axis + 1) % 3;
                int w = (axis + 2) % 3;
                float[][] corners = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
                for (float[] c : corners) {
                    float[] p = new float[3];
                    p[axis] = sign;
                    p[u] = c[0];
                    p[w] = sign > 0 ? c[1] : -c[1]; // keep counter-clockwise winding seen from outside
                    float[] nn = new float[3];
                    nn[axis] = sign;
                    k = vertex(v, k, p[0], p[1], p[2], nn[0], nn[1], nn[2]);
                }
                int b = face * 4;
                int[] tri = {b, b + 1, b + 2, b, b + 2, b + 3};
                System.arraycopy(tri, 0, idx, n, 6);
                n += 6;
                face++;
            }
        }
        return new Mesh(v, idx);
    }

    /** The unit sphere, latitude/longitude tessellation. */
    static Mesh sphere(int slices, int stacks) {
        float[] v = new float[(slices + 1) * (stacks + 1) * 6];
        int[] idx = new int[slices * stacks * 6];
        int k = 0;
        for (int i = 0; i <= stacks; i++) {
            double phi = Math.PI * i / stacks; // from +z down to -z
            for (int j = 0; j <= slices; j++) {
                double theta = 2 * Math.PI * j / slices;
                float x = (float) (Math.sin(phi) * Math.cos(theta));
                float y = (float) (Math.sin(phi) * Math.sin(theta));
                float z = (float) Math.cos(phi);
                k = vertex(v, k, x, y, z, x, y, z);
            }
        }
        int n = 0;
        for (int i = 0; i < stacks; i++) {
            for (int j = 0; j < slices; j++) {
                int a = i * (slices + 1) + j;
                int b = a + slices + 1;
                idx[n++] = a;
                idx[n++] = b;
                idx[n++] = a + 1;
                idx[n++] = a + 1;
                idx[n++] = b;
                idx[n++] = b + 1;
            }
        }
        return new Mesh(v, idx);
    }

    /** The unit cylinder along z, radius 1, z in [-1, 1]; with or without the two end caps. */
    static Mesh cylinder(int slices, boolean caps) {
        int sideVerts = (slices + 1) * 2;
        int capVerts = caps ? 2 * (slices + 2) : 0;
        float[] v = new float[(sideVerts + capVerts) * 6];
        int[] idx = new int[slices * 6 + (caps ? 2 * slices * 3 : 0)];
        int k = 0;
        for (int j = 0; j <= slices; j++) {
            double theta = 2 * Math.PI * j / slices;
            float x = (float) Math.cos(theta);
            float y = (float) Math.sin(theta);
            for (int end = -1; end <= 1; end += 2) {
                k = vertex(v, k, x, y, end, x, y, 0);
            }
        }
        int n = 0;
        for (int j = 0; j < slices; j++) {
            int a = 2 * j;
            idx[n++] = a;
            idx[n++] = a + 2;
            idx[n++] = a + 1;
            idx[n++] = a + 1;
            idx[n++] = a + 2;
            idx[n++] = a + 3;
        }
        if (caps) {
            int base = sideVerts;
            for (int end = -1; end <= 1; end += 2) {
                int centre = base;
                k = vertex(v, k, 0, 0, end, 0, 0, end);
                for (int j = 0; j <= slices; j++) {
                    double theta = 2 * Math.PI * j / slices;
                    k = vertex(v, k, (float) Math.cos(theta), (float) Math.sin(theta), end, 0, 0, end);
                }
                for (int j = 0; j < slices; j++) {
                    idx[n++] = centre;
                    if (end > 0) {
                        idx[n++] = centre + 1 + j;
                        idx[n++] = centre + 2 + j;
                    } else {
                        idx[n++] = centre + 2 + j;
                        idx[n++] = centre + 1 + j;
                    }
                }
                base += slices + 2;
            }
        }
        return new Mesh(v, idx);
    }

    /** Writes one vertex (position, normal) at {@code v[k..k+5]}; returns the next free index. */
    private static int vertex(float[] v, int k, float px, float py, float pz, float nx, float ny, float nz) {
        v[k] = px;
        v[k + 1] = py;
        v[k + 2] = pz;
        v[k + 3] = nx;
        v[k + 4] = ny;
        v[k + 5] = nz;
        return k + 6;
    }

    /** A square in the z = 0 plane, [-1, 1]^2, normal +z. */
    static Mesh quad() {
        float[] v = {
                -1, -1, 0, 0, 0, 1,
                1, -1, 0, 0, 0, 1,
                1, 1, 0, 0, 0, 1,
                -1, 1, 0, 0, 0, 1};
        return new Mesh(v, new int[]{0, 1, 2, 0, 2, 3});
    }
}
