package org.jgrad.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jgrad.Tensor;

/**
 * What MNIST and Fashion-MNIST share: four IDX files with the same names, found in an ordered list
 * of directories, downloaded when absent, and loaded into an {@link ImageData}.
 *
 * <p>Directories searched, first match wins: the explicit one (its files directly, or its
 * {@code <name>/} subdirectory), {@code $JGRAD_DATA/<name>} (the system property {@code jgrad.data}
 * overrides the environment variable), {@code ~/.jgrad/datasets/<name>}, {@code /usr/share/datasets/<name>}
 * (the system property {@code jgrad.data.system} replaces {@code /usr/share/datasets}, for tests).
 * A directory matches when it has all four files, each gzip-compressed ({@code .gz}) or plain.
 */
final class MnistFamily {
    static final String[] FILES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    private static final System.Logger LOG = System.getLogger(MnistFamily.class.getName());

    /** Where to look; a record so tests can point every root at a temporary directory. */
    record Roots(Path jgradData, Path home, Path system) {
        static Roots fromEnvironment() {
            String data = System.getProperty("jgrad.data");
            if (data == null || data.isBlank()) data = System.getenv("JGRAD_DATA");
            return new Roots(data == null || data.isBlank() ? null : Path.of(data),
                    Path.of(System.getProperty("user.home")), Path.of(System.getProperty("jgrad.data.system", "/usr/share/datasets")));
        }
    }

    /** A candidate directory and why it is on the list, for the "not found" message. */
    record Candidate(Path dir, String why) {}

    final String name;            // directory name, e.g. "fashion-mnist"
    final String displayName;     // e.g. "Fashion-MNIST"
    final List<String> classes;
    final List<URI> mirrors;
    final Map<String, String> sha256;   // of each .gz file as published
    final String aptPackage;      // null if no Debian package
    final String samplePath;      // class-path directory of an embedded sample, or null
    Roots roots = null;           // null: read the environment at each call
    Downloader downloader = new Downloader(Duration.ofSeconds(10), Duration.ofMinutes(5), 64L << 20);

    MnistFamily(String name, String displayName, List<String> classes, List<URI> mirrors, Map<String, String> sha256,
            String aptPackage, String samplePath) {
        this.name = name;
        this.displayName = displayName;
        this.classes = classes;
        this.mirrors = mirrors;
        this.sha256 = sha256;
        this.aptPackage = aptPackage;
        this.samplePath = samplePath;
    }

    private Roots roots() {
        return roots != null ? roots : Roots.fromEnvironment();
    }

    List<Candidate> candidates(Path explicit) {
        Roots r = roots();
        List<Candidate> out = new ArrayList<>();
        if (explicit != null) {
            out.add(new Candidate(explicit, "the directory given"));
            out.add(new Candidate(explicit.resolve(name), "the directory given"));
        }
        if (r.jgradData() != null) out.add(new Candidate(r.jgradData().resolve(name), "$JGRAD_DATA"));
        out.add(new Candidate(r.home().resolve(".jgrad").resolve("datasets").resolve(name), "the user's data directory"));
        out.add(new Candidate(r.system().resolve(name), aptPackage != null ? "where apt-get install " + aptPackage + " puts it"
                : "the system's data sets"));
        return out;
    }

    Optional<Path> find(Path explicit) {
        for (Candidate c : candidates(explicit)) {
            if (hasAllFiles(c.dir())) return Optional.of(c.dir());
        }
        return Optional.empty();
    }

    private static boolean hasAllFiles(Path dir) {
        for (String f : FILES) {
            if (file(dir, f) == null) return false;
        }
        return true;
    }

    /** dir/f.gz or dir/f, or null. */
    private static Path file(Path dir, String f) {
        Path gz = dir.resolve(f + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        Path plain = dir.resolve(f);
        return Files.isRegularFile(plain) ? plain : null;
    }

    /** Where a download goes: $JGRAD_DATA/name if set, else ~/.jgrad/datasets/name. */
    Path downloadDir() {
        Roots r = roots();
        return r.jgradData() != null ? r.jgradData().resolve(name) : r.home().resolve(".jgrad").resolve("datasets").resolve(name);
    }

    ImageData load(Path explicit, boolean download) throws IOException {
        if (explicit != null && !Files.isDirectory(explicit)) {
            throw new FileNotFoundException(displayName + ": the data directory " + explicit + " does not exist" + howToGet());
        }
        Optional<Path> found = find(explicit);
        if (found.isPresent()) return loadDirectory(found.get());
        String downloadFailure = null;
        if (download) {
            try {
                Path dir = downloadDir();
                for (String f : FILES) downloader.fetch(mirrors, f + ".gz", sha256.get(f + ".gz"), dir);
                LOG.log(System.Logger.Level.INFO, displayName + " downloaded to " + dir);
                return loadDirectory(dir);
            } catch (IOException e) {
                downloadFailure = e.getMessage();
            }
        }
        StringBuilder msg = new StringBuilder(displayName + " not found. Looked for " + String.join(".gz, ", FILES) + ".gz in:");
        for (Candidate c : candidates(explicit)) msg.append("\n  ").append(c.dir()).append("  (").append(c.why()).append(')');
        if (roots().jgradData() == null) msg.append("\n  ($JGRAD_DATA is not set)");
        if (downloadFailure != null) msg.append("\nThe download failed: ").append(downloadFailure.replace("\n", "\n  "));
        throw new FileNotFoundException(msg + howToGet());
    }

    private String howToGet() {
        StringBuilder s = new StringBuilder("\nTo get it, either:");
        if (aptPackage != null) {
            s.append("\n  - install it: apt-get install ").append(aptPackage).append("   (Debian/Ubuntu; puts the files in ")
                    .append(roots().system().resolve(name)).append(')');
        }
        s.append("\n  - download ");
        for (int i = 0; i < FILES.length; i++) s.append(i == 0 ? "" : ", ").append(mirrors.get(0).resolve(FILES[i] + ".gz"));
        s.append("\n    into ").append(downloadDir());
        s.append("\n  - or give the directory that holds them (--data DIR)");
        return s.toString();
    }

    ImageData loadDirectory(Path dir) throws IOException {
        Idx.Contents[] c = new Idx.Contents[FILES.length];
        for (int i = 0; i < FILES.length; i++) c[i] = Idx.read(file(dir, FILES[i]));
        ImageData data = assemble(c, dir.toString(), false);
        LOG.log(System.Logger.Level.DEBUG, () -> data.describe());
        return data;
    }

    /** The embedded sample from the class path (module jgrad-datasets). */
    ImageData sample() throws IOException {
        if (samplePath == null) throw new FileNotFoundException(displayName + ": there is no embedded sample");
        ClassLoader loader = MnistFamily.class.getClassLoader();
        Idx.Contents[] c = new Idx.Contents[FILES.length];
        for (int i = 0; i < FILES.length; i++) {
            String resource = samplePath + "/" + FILES[i] + ".gz";
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new FileNotFoundException(displayName + ": the embedded sample (" + resource + ") is not on the class path;"
                            + " add the jgrad-datasets jar (Maven: org.jgrad:jgrad-datasets) or load the full data set instead");
                }
                c[i] = Idx.read(in, "classpath:" + resource, -1);
            }
        }
        return assemble(c, "the embedded sample in jgrad-datasets", true);
    }

    ImageData loadOrSample(Path explicit, boolean download) throws IOException {
        try {
            return load(explicit, download);
        } catch (FileNotFoundException notFound) {
            if (explicit != null) throw notFound;    // a directory the user named must not be silently replaced
            try {
                ImageData s = sample();
                LOG.log(System.Logger.Level.INFO, displayName + " not found; using " + s.describe());
                return s;
            } catch (FileNotFoundException noSample) {
                notFound.addSuppressed(noSample);
                throw notFound;
            }
        }
    }

    private ImageData assemble(Idx.Contents[] c, String source, boolean isSample) throws InvalidDataException {
        TensorDataset train = split(c[0], c[1]);
        TensorDataset test = split(c[2], c[3]);
        return new ImageData(displayName, train, test, classes, source, isSample);
    }

    private TensorDataset split(Idx.Contents images, Idx.Contents labels) throws InvalidDataException {
        Tensor x = Idx.images(images);
        Tensor y = Idx.labels(labels);
        if (images.count() != labels.count()) {
            throw new InvalidDataException(labels.source(), "has " + labels.count() + " labels but " + images.source() + " has "
                    + images.count() + " images");
        }
        int[] d = images.dims();
        if (d[1] != 28 || d[2] != 28) {
            throw new InvalidDataException(images.source(), "expected 28x28 images, got shape " + Arrays.toString(d));
        }
        byte[] raw = labels.data();
        for (int i = 0; i < raw.length; i++) {
            if ((raw[i] & 0xff) >= classes.size()) {
                throw new InvalidDataException(labels.source(), "label " + (raw[i] & 0xff) + " at index " + i + " is not a class 0.."
                        + (classes.size() - 1));
            }
        }
        return new TensorDataset(x, y);
    }
}
