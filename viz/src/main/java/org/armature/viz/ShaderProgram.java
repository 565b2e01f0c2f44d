package org.armature.viz;

import static org.lwjgl.opengl.GL33C.*;

/** A compiled and linked GLSL program. */
final class ShaderProgram implements AutoCloseable {

    final int id;

    ShaderProgram(String vertexSource, String fragmentSource) {
        int vs = compile(GL_VERTEX_SHADER, vertexSource);
        int fs = compile(GL_FRAGMENT_SHADER, fragmentSource);
        id = glCreateProgram();
        glAttachShader(id, vs);
        glAttachShader(id, fs);
        glLinkProgram(id);
        glDeleteShader(vs);
        glDeleteShader(fs);
        if (glGetProgrami(id, GL_LINK_STATUS) == GL_FALSE) {
            String log = glGetProgramInfoLog(id);
            glDeleteProgram(id);
            throw new IllegalStateException("shader link failed: " + log);
        }
    }

    private static int compile(int type, String source) {
        int s = glCreateShader(type);
        glShaderSource(s, source);
        glCompileShader(s);
        if (glGetShaderi(s, GL_COMPILE_STATUS) == GL_FALSE) {
            String log = glGetShaderInfoLog(s);
            glDeleteShader(s);
            throw new IllegalStateException("shader compile failed: " + log);
        }
        return s;
    }

    int uniform(String name) {
        int loc = glGetUniformLocation(id, name);
        if (loc < 0) {
            throw new IllegalStateException("no active uniform '" + name + "'");
        }
        return loc;
    }

    void use() {
        glUseProgram(id);
    }

    @Override
    public void close() {
        glDeleteProgram(id);
    }
}
