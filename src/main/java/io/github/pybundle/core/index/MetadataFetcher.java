package io.github.pybundle.core.index;

import io.github.pybundle.core.cache.HashMismatchException;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.spec.metadata.CoreMetadataFile;
import io.github.pybundle.core.wheel.WheelSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Reads a wheel's core metadata as cheaply as the index allows: the PEP 658 metadata file when the index serves one
 * (verified against its digest), else the METADATA entry read with HTTP range requests, else the whole wheel
 * (downloaded through the cache, where it is needed anyway if chosen).
 */
public final class MetadataFetcher {
    private final IndexClient client;
    private final Downloader downloader;
    private final Function<String, PackageSource> sources;
    private final NetworkSettings settings;
    private final BuildListener listener;
    private final AtomicInteger metadataFiles = new AtomicInteger();
    private final AtomicInteger rangeReads = new AtomicInteger();
    private final AtomicInteger wholeWheels = new AtomicInteger();

    public MetadataFetcher(IndexClient client, Downloader downloader, Function<String, PackageSource> sources,
                           NetworkSettings settings, BuildListener listener) {
        this.client = client;
        this.downloader = downloader;
        this.sources = sources;
        this.settings = settings;
        this.listener = listener;
    }

    /** The core metadata of a wheel. */
    public CoreMetadataFile metadata(DistributionFile wheel) throws IOException {
        String where = wheel.filename() + "!METADATA";
        PackageSource source = sources.apply(wheel.sourceId());
        if (wheel.metadataUrl() != null && source != null) {
            byte[] body = client.small(wheel.metadataUrl(), source);
            String expected = wheel.metadataHashes().get("sha256");
            if (expected != null) {
                String actual = HexFormat.of().formatHex(Digests.sha256().digest(body));
                if (!actual.equals(expected.toLowerCase(Locale.ROOT))) {
                    throw new HashMismatchException(wheel.filename() + ".metadata", expected, actual);
                }
            }
            metadataFiles.incrementAndGet();
            return CoreMetadataFile.parse(body, where);
        }
        if (!settings.offline() && !"file".equals(wheel.url().getScheme())) {
            byte[] body = RemoteZip.read(spec -> client.http().range(wheel.url(),
                    source == null ? null : source.credentialsFor(wheel.url()), spec),
                    WheelSource.metadataEntry(wheel.filename()));
            if (body != null && body.length > 0) {
                rangeReads.incrementAndGet();
                return CoreMetadataFile.parse(body, where);
            }
            listener.log(Level.DEBUG, "No metadata file or range support for " + wheel.filename()
                    + "; downloading it");
        }
        Path file = downloader.fetch(new Downloader.Request(wheel, null));
        wholeWheels.incrementAndGet();
        return CoreMetadataFile.parse(WheelSource.readMetadata(file), where);
    }

    /** How many metadata reads used a PEP 658 file. */
    public int metadataFiles() {
        return metadataFiles.get();
    }

    /** How many metadata reads used HTTP ranges. */
    public int rangeReads() {
        return rangeReads.get();
    }

    /** How many metadata reads needed the whole wheel. */
    public int wholeWheels() {
        return wholeWheels.get();
    }
}
