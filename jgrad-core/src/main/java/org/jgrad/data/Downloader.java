package org.jgrad.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Downloads one file from the first mirror that answers, verifies its SHA-256 and only then moves it
 * into place (atomically where the file system allows), so a partial or tampered download never
 * looks like data.
 */
final class Downloader {
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final long maxBytes;

    Downloader(Duration connectTimeout, Duration requestTimeout, long maxBytes) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.maxBytes = maxBytes;
    }

    /**
     * Fetches {@code fileName} from each base URL in turn into {@code dir}. Throws an IOException
     * listing every mirror's failure if none gives a file with the expected checksum.
     */
    Path fetch(List<URI> mirrors, String fileName, String sha256, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(fileName);
        // A file verified by an earlier, interrupted run of the four downloads need not be fetched again.
        if (Files.isRegularFile(target) && sha256Of(target).equalsIgnoreCase(sha256)) return target;
        StringBuilder failures = new StringBuilder();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build()) {
            for (URI base : mirrors) {
                URI uri = base.resolve(fileName);
                Path tmp = Files.createTempFile(dir, fileName, ".part");
                try {
                    String actual = download(client, uri, tmp);
                    if (!actual.equalsIgnoreCase(sha256)) {
                        failures.append("\n  ").append(uri).append(": checksum mismatch, SHA-256 ").append(actual)
                                .append(" but expected ").append(sha256);
                        continue;
                    }
                    try {
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                    return target;
                } catch (IOException e) {
                    failures.append("\n  ").append(uri).append(": ").append(e.getClass().getSimpleName())
                            .append(e.getMessage() == null ? "" : " " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("download of " + uri + " interrupted", e);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
        throw new IOException("could not download " + fileName + ":" + failures);
    }

    /** Streams the body to {@code out}, hashing as it goes; returns the SHA-256 in hex. */
    private String download(HttpClient client, URI uri, Path out) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) throw new IOException("HTTP " + response.statusCode());
            MessageDigest sha = sha256();
            long total = 0;
            byte[] buf = new byte[1 << 16];
            try (OutputStream os = Files.newOutputStream(out)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    total += n;
                    if (total > maxBytes) throw new IOException("larger than the expected " + maxBytes + " bytes; stopped");
                    sha.update(buf, 0, n);
                    os.write(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    static String sha256Of(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JVM has SHA-256", e);
        }
    }
}
