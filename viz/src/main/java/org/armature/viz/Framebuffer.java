package org.armature.viz;

import static org.lwjgl.opengl.GL33C.*;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;

import org.lwjgl.system.MemoryUtil;

/**
 * An offscreen render target: colour (RGBA8) and depth (24 bit) renderbuffers, optionally multisampled (then
 * resolved into a single-sample framebuffer before reading). Pixels read back top row first.
 */
public final class Framebuffer implements AutoCloseable {

    private final int width;
    private final int height;
    private final int samples;
    private final int drawFbo;
    private final int colourRb;
    private final int depthRb;
    private final int resolveFbo;
    private final int resolveRb;
    private ByteBuffer readBuffer;

    /**
     * @param samples MSAA samples; 0 or 1 for none
     */
    public Framebuffer(int width, int height, int samples) {
        RenderOptions.requireSupportedSize(width, height);
        this.width = width;
        this.height = height;
        this.samples = samples > 1 ? samples : 0;
        drawFbo = glGenFramebuffers();
        colourRb = glGenRenderbuffers();
        depthRb = glGenRenderbuffers();
        glBindFramebuffer(GL_FRAMEBUFFER, drawFbo);
        attachRenderbuffer(colourRb, this.samples, GL_RGBA8, GL_COLOR_ATTACHMENT0);
        attachRenderbuffer(depthRb, this.samples, GL_DEPTH_COMPONENT24, GL_DEPTH_ATTACHMENT);
        check("draw", width, height, this.samples);
        if (this.samples > 0) {
            resolveFbo = glGenFramebuffers();
            resolveRb = glGenRenderbuffers();
            glBindFramebuffer(GL_FRAMEBUFFER, resolveFbo);
            attachRenderbuffer(resolveRb, 0, GL_RGBA8, GL_COLOR_ATTACHMENT0);
            check("resolve", width, height, 0);
        } else {
            resolveFbo = drawFbo;
            resolveRb = 0;
        }
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }

    /** Allocates renderbuffer {@code rb} (multisampled when samples > 0) and attaches it to the bound framebuffer. */
    private void attachRenderbuffer(int rb, int samples, int format, int attachment) {
        glBindRenderbuffer(GL_RENDERBUFFER, rb);
        if (samples > 0) {
            glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, format, width, height);
        } else {
            glRenderbufferStorage(GL_RENDERBUFFER, format, width, height);
        }
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, attachment, GL_RENDERBUFFER, rb);
    }

    /** A target the GL driver cannot allocate is a clear error about the size, not an internal failure. */
    private void check(String which, int width, int height, int samples) {
        int status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
        if (status != GL_FRAMEBUFFER_COMPLETE) {
            glBindFramebuffer(GL_FRAMEBUFFER, 0);
            close();
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the GL driver cannot allocate a "
                    + "%dx%d %s target%s (framebuffer status 0x%X, max renderbuffer size %d): use a smaller size",
                    width, height, which, samples > 0 ? " with " + samples + "x MSAA" : "", status,
                    glGetInteger(GL_MAX_RENDERBUFFER_SIZE)));
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int samples() {
        return samples;
    }

    /** Binds the framebuffer for drawing and sets the viewport to its size. */
    void bindForDrawing() {
        glBindFramebuffer(GL_FRAMEBUFFER, drawFbo);
        glViewport(0, 0, width, height);
    }

    /** Resolves multisampling (if any); afterwards the single-sample image is in the read framebuffer. */
    void resolve() {
        if (samples > 0) {
            glBindFramebuffer(GL_READ_FRAMEBUFFER, drawFbo);
            glBindFramebuffer(GL_DRAW_FRAMEBUFFER, resolveFbo);
            glBlitFramebuffer(0, 0, width, height, 0, 0, width, height, GL_COLOR_BUFFER_BIT, GL_NEAREST);
        }
        glBindFramebuffer(GL_READ_FRAMEBUFFER, resolveFbo);
    }

    /** Copies the (resolved) image into the window's default framebuffer of the given size. */
    void blitToScreen(int screenWidth, int screenHeight) {
        resolve();
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
        glBlitFramebuffer(0, 0, width, height, 0, 0, screenWidth, screenHeight, GL_COLOR_BUFFER_BIT, GL_NEAREST);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }

    /**
     * Reads the image as RGBA bytes, bottom row first (OpenGL order), into {@code out} (capacity width*height*4).
     */
    public void readRgba(ByteBuffer out) {
        if (out.remaining() < width * height * 4) {
            throw new IllegalArgumentException("readRgba: buffer needs " + width * height * 4 + " bytes");
        }
        resolve();
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, out);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }

    /** Reads the image into {@code image} (TYPE_INT_RGB, same size), top row first; allocates it when null. */
    public BufferedImage readImage(BufferedImage image) {
        if (image == null) {
            image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        } else if (image.getWidth() != width || image.getHeight() != height
                || image.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("readImage: expected a " + width + "x" + height + " TYPE_INT_RGB image");
        }
        if (readBuffer == null) {
            readBuffer = MemoryUtil.memAlloc(width * height * 4);
        }
        readBuffer.clear();
        readRgba(readBuffer);
        int[] dst = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < height; y++) {
            int src = (height - 1 - y) * width * 4;
            int row = y * width;
            for (int x = 0; x < width; x++) {
                int o = src + 4 * x;
                int r = readBuffer.get(o) & 0xFF;
                int g = readBuffer.get(o + 1) & 0xFF;
                int b = readBuffer.get(o + 2) & 0xFF;
                dst[row + x] = (r << 16) | (g << 8) | b;
            }
        }
        return image;
    }

    @Override
    public void close() {
        if (readBuffer != null) {
            MemoryUtil.memFree(readBuffer);
            readBuffer = null;
        }
        glDeleteFramebuffers(drawFbo);
        glDeleteRenderbuffers(colourRb);
        glDeleteRenderbuffers(depthRb);
        if (samples > 0) {
            glDeleteFramebuffers(resolveFbo);
            glDeleteRenderbuffers(resolveRb);
        }
    }
}
