package io.github.pybundle.testing;

import io.github.pybundle.core.cache.FileCache;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.index.Downloader;
import io.github.pybundle.core.index.IndexClient;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.net.HttpFetcher;
import io.github.pybundle.core.net.NetworkSettings;
import java.nio.file.Path;
import java.util.List;

/** A separate JVM that fetches one project's first file into a cache: for the cross-process locking test. */
public final class FetchOnce {
    private FetchOnce() {
    }

    public static void main(String[] args) throws Exception {
        String indexUrl = args[0];
        Path cache = Path.of(args[1]);
        NetworkSettings settings = NetworkSettings.defaults();
        BuildListener quiet = BuildListener.silent();
        HttpFetcher http = new HttpFetcher(settings, quiet);
        PackageSource index = PackageSource.of("test", indexUrl, PackageSource.Kind.INDEX, "indexUrl");
        IndexClient client = new IndexClient(http, cache, settings, quiet);
        Downloader d = new Downloader(http, new FileCache(cache, quiet), settings, quiet, 1, id -> index);
        System.out.println(d.download(List.of(new Downloader.Request(client.project(index, args[2]).files().get(0),
                null))).values().iterator().next());
    }
}
