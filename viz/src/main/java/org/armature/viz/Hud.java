package org.armature.viz;

import static org.lwjgl.opengl.GL33C.*;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.List;

import org.lwjgl.stb.STBEasyFont;
import org.lwjgl.system.MemoryUtil;

/**
 * Text overlay in the top-left corner: lines of text drawn with stb_easy_font (LWJGL's {@code lwjgl-stb}) over a
 * translucent dark panel, in whatever framebuffer is bound.
 */
final class Hud implements AutoCloseable {

    /** Pixel scale of stb_easy_font's ~7 px glyphs: 2 for wide frames, smaller so text fits narrow ones. */
    static float scaleFor(int width) {
        return width >= 800 ? 2f : width >= 480 ? 1.5f : 1f;
    }
    private static final int LINE_HEIGHT = 12; // stb_easy_font line spacing at scale 1
    private static final int MAX_QUADS = 8192;
    private static final int MARGIN = 6;

    private static final String VERTEX = """
            #version 330 core
            layout(location = 0) in vec3 aPosition;
            uniform vec2 uScreen;
            uniform float uScale;
            void main() {
                vec2 p = aPosition.xy * uScale;
                gl_Position = vec4(p.x / uScreen.x * 2.0 - 1.0, 1.0 - p.y / uScreen.y * 2.0, 0.0, 1.0);
            }
            """;
    private static final String FRAGMENT = """
            #version 330 core
            uniform vec4 uColour;
            out vec4 fragColour;
            void main() { fragColour = uColour; }
            """;

    private final ShaderProgram program;
    private final int uScreen;
    private final int uScale;
    private final int uColour;
    private final int vao;
    private final int vbo;
    private final int ebo;
    private final ByteBuffer vertices = MemoryUtil.memAlloc(MAX_QUADS * 4 * 16);

    Hud() {
        program = new ShaderProgram(VERTEX, FRAGMENT);
        uScreen = program.uniform("uScreen");
        uScale = program.uniform("uScale");
        uColour = program.uniform("uColour");
        vao = glGenVertexArrays();
        vbo = glGenBuffers();
        ebo = glGenBuffers();
        glBindVertexArray(vao);
        glBindBuffer(GL_ARRAY_BUFFER, vbo);
        glBufferData(GL_ARRAY_BUFFER, (long) MAX_QUADS * 4 * 16, GL_STREAM_DRAW);
        glVertexAttribPointer(0, 3, GL_FLOAT, false, 16, 0);
        glEnableVertexAttribArray(0);
        IntBuffer idx = MemoryUtil.memAllocInt(MAX_QUADS * 6);
        for (int q = 0; q < MAX_QUADS; q++) {
            int b = 4 * q;
            idx.put(b).put(b + 1).put(b + 2).put(b).put(b + 2).put(b + 3);
        }
        idx.flip();
        glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ebo);
        glBufferData(GL_ELEMENT_ARRAY_BUFFER, idx, GL_STATIC_DRAW);
        MemoryUtil.memFree(idx);
        glBindVertexArray(0);
    }

    /** Draws the lines into the bound framebuffer whose size is {@code width x height}. */
    void draw(List<String> lines, int width, int height) {
        int maxWidth = 0;
        for (String line : lines) {
            maxWidth = Math.max(maxWidth, STBEasyFont.stb_easy_font_width(line));
        }
        glDisable(GL_DEPTH_TEST);
        glEnable(GL_BLEND);
        glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
        program.use();
        glUniform2f(uScreen, width, height);
        glUniform1f(uScale, scaleFor(width));
        glBindVertexArray(vao);
        glBindBuffer(GL_ARRAY_BUFFER, vbo);

        // panel behind the text (coordinates in unscaled font pixels)
        float x1 = MARGIN + maxWidth + 4;
        float y1 = MARGIN + LINE_HEIGHT * lines.size() + 2;
        vertices.clear();
        putVertex(MARGIN - 3, MARGIN - 3);
        putVertex(x1, MARGIN - 3);
        putVertex(x1, y1);
        putVertex(MARGIN - 3, y1);
        vertices.flip();
        glBufferSubData(GL_ARRAY_BUFFER, 0, vertices);
        glUniform4f(uColour, 0f, 0f, 0f, 0.55f);
        glDrawElements(GL_TRIANGLES, 6, GL_UNSIGNED_INT, 0);

        vertices.clear();
        int quads = 0;
        for (int i = 0; i < lines.size(); i++) {
            ByteBuffer slice = vertices.slice(quads * 64, vertices.capacity() - quads * 64);
            quads += STBEasyFont.stb_easy_font_print(MARGIN, MARGIN + i * LINE_HEIGHT, lines.get(i), null, slice);
            if (quads >= MAX_QUADS) {
                quads = MAX_QUADS;
                break;
            }
        }
        vertices.position(0).limit(quads * 64);
        glBufferSubData(GL_ARRAY_BUFFER, 0, vertices);
        glUniform4f(uColour, 1f, 1f, 1f, 1f);
        glDrawElements(GL_TRIANGLES, quads * 6, GL_UNSIGNED_INT, 0);

        glBindVertexArray(0);
        glDisable(GL_BLEND);
        glEnable(GL_DEPTH_TEST);
    }

    private void putVertex(float x, float y) {
        vertices.putFloat(x).putFloat(y).putFloat(0f).putInt(0);
    }

    @Override
    public void close() {
        glDeleteBuffers(vbo);
        glDeleteBuffers(ebo);
        glDeleteVertexArrays(vao);
        program.close();
        MemoryUtil.memFree(vertices);
    }
}
