package io.github.pybundle.maven;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.cache.FileCache;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.index.PipConfiguration;
import io.github.pybundle.core.index.SourceSelection;
import io.github.pybundle.core.net.Credentials;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.net.ProxySpec;
import io.github.pybundle.core.requirements.RequirementsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Turns the pom's index parameters, settings.xml (servers, proxies, offline) and pip's configuration into the core's
 * {@link IndexConfiguration}. Every password it reads is added to {@code secrets}, so that no log line or error can
 * show it.
 */
final class IndexSettings {
    private IndexSettings() {
    }

    static IndexConfiguration build(AbstractDependencyMojo m, List<RequirementsFile> files, Set<String> secrets)
            throws IOException {
        Map<String, String> env = System.getenv();
        PipConfiguration pip = PipConfiguration.load(env, System.getProperty("user.home"));
        List<SourceSelection.IndexSpec> specs = new ArrayList<>();
        if (m.indexes != null) {
            m.indexes.forEach(i -> specs.add(new SourceSelection.IndexSpec(i.id, i.url, i.credentialsFor)));
        }
        SourceSelection.Result chosen = SourceSelection.choose(specs, m.indexUrl,
                m.findLinks == null ? List.of() : m.findLinks, files, pip);
        Settings settings = m.session == null ? null : m.session.getSettings();
        List<PackageSource> indexes = new ArrayList<>();
        for (PackageSource s : chosen.indexes()) {
            if (s.credentials() != null) {
                secrets.add(s.credentials().password());
                m.getLog().warn("The URL of index '" + s.id() + "' carries a password; Maven's own -X parameter dump"
                        + " and shell history can show it. Put it in a settings.xml <server> with the <id> "
                        + s.id() + " (encrypted with mvn --encrypt-password) and remove it from the URL.");
            }
            indexes.add(s.withCredentials(serverCredentials(settings, m.settingsDecrypter, s.id(), secrets)));
        }
        List<ProxySpec> proxies = new ArrayList<>();
        if (settings != null) {
            for (Proxy p : settings.getProxies()) {
                if (p.isActive()) {
                    Proxy d = decrypt(m.settingsDecrypter, p);
                    Credentials c = d.getUsername() == null ? null : new Credentials(d.getUsername(), d.getPassword());
                    if (c != null) {
                        secrets.add(c.password());
                    }
                    proxies.add(new ProxySpec(p.getProtocol(), p.getHost(), p.getPort(), c, p.getNonProxyHosts()));
                }
            }
        }
        boolean offline = m.offline || m.session != null && m.session.isOffline();
        NetworkSettings network = NetworkSettings.defaults().withOffline(offline)
                .withAllowInsecure(m.allowInsecureIndex).withProxies(proxies)
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(pip.timeoutSeconds() > 0
                        ? pip.timeoutSeconds() : 60))
                .withDeadline(Duration.ofSeconds(Math.max(1, m.downloadDeadline)));
        if (pip.cert() != null) {
            network = network.withCaCertificates(Path.of(pip.cert()));
        }
        Path cache = m.cacheDirectory != null ? m.cacheDirectory.toPath()
                : FileCache.defaultRoot(env, System.getProperty("user.home"));
        m.getLog().debug("Package sources (" + chosen.origin() + "): " + indexes + ", find-links: "
                + chosen.findLinks());
        return new IndexConfiguration(indexes, chosen.findLinks(), m.indexPins == null ? Map.of() : m.indexPins,
                network, cache, m.downloadThreads);
    }

    private static Credentials serverCredentials(Settings settings, SettingsDecrypter decrypter, String id,
                                                 Set<String> secrets) {
        if (settings == null) {
            return null;
        }
        Server server = settings.getServer(id);
        if (server == null || server.getUsername() == null) {
            return null;
        }
        Server s = server;
        if (decrypter != null) {
            SettingsDecryptionResult r = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
            for (SettingsProblem problem : r.getProblems()) {
                if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                    throw new InvalidConfigurationException("settings.xml", id,
                            "the password of <server> '" + id + "' in settings.xml cannot be decrypted: "
                                    + problem.getMessage(), "check settings-security.xml and the encrypted password");
                }
            }
            s = r.getServer();
        }
        secrets.add(s.getPassword());
        return new Credentials(s.getUsername(), s.getPassword() == null ? "" : s.getPassword());
    }

    private static Proxy decrypt(SettingsDecrypter decrypter, Proxy p) {
        if (decrypter == null || p.getPassword() == null) {
            return p;
        }
        return decrypter.decrypt(new DefaultSettingsDecryptionRequest(p)).getProxy();
    }
}
