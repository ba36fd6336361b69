package lenet.cli;

import picocli.CommandLine;

/** {@code lenet --version}: this build's version, Java's and the array library's. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "lenet " + (version == null ? "(development build)" : version),
            "Java " + System.getProperty("java.version") + ", ND4J 1.0.0-M2.1 (native CPU backend)"
        };
    }
}
