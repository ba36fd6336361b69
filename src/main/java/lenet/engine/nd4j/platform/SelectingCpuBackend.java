package lenet.engine.nd4j.platform;

import org.nd4j.linalg.cpu.nativecpu.CpuBackend;

/**
 * ND4J's CPU backend, which first picks the native build this CPU runs ({@link NativeBuild}).
 * ND4J finds its backends with {@link java.util.ServiceLoader} (this one is named in
 * {@code META-INF/services/org.nd4j.linalg.factory.Nd4jBackend}) and asks the one of highest
 * priority first; {@link #isAvailable()} runs before any native library is loaded, whichever
 * command, test or tool starts ND4J, and only when one does ({@code lenet predict} on a few
 * images never starts it).
 */
public final class SelectingCpuBackend extends CpuBackend {
    @Override
    public int getPriority() {
        return super.getPriority() + 1; // ahead of ND4J's own CpuBackend
    }

    @Override
    public boolean isAvailable() {
        NativeBuild.prepare();
        return super.isAvailable();
    }
}
