package lenet.cli;

import java.util.ArrayList;
import java.util.List;
import lenet.engine.Engines;
import picocli.CommandLine;


/**
 * {@code lenet --version}: this build's version, Java's, and the array library's: ND4J's version,
 * its backend, the native build in use (the classifier jar, e.g. linux-x86_64-onednn-avx2), the
 * instruction set that build uses against the best this CPU offers, the linked math libraries and
 * the thread count; which builds there were to choose from and why this one (lenet.engine.nd4j.platform.NativeBuild),
 * where JavaCPP unpacked it; and which kernels run on the JDK's vector API. Starting ND4J to ask
 * takes about a second.
 */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        List<String> lines = new ArrayList<>();
        lines.add("lenet " + (version == null ? "(development build)" : version));
        lines.add("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        lines.addAll(Engines.describe());
        return lines.toArray(String[]::new);
    }
}
