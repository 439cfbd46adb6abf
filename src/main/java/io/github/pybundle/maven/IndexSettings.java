package io.github.pybundle.maven;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.IndexRequest;
import io.github.pybundle.core.index.SourceSelection;
import io.github.pybundle.core.net.Credentials;
import io.github.pybundle.core.net.ProxySpec;
import io.github.pybundle.core.requirements.RequirementsFile;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Hands the pom's index parameters and what settings.xml holds (servers' credentials, proxies, offline) to the core's
 * {@link IndexRequest}, which chooses the sources. Every password it reads is added to {@code secrets}, so that no log line or error can
 * show it.
 */
final class IndexSettings {
    private IndexSettings() {
    }

    static IndexConfiguration build(AbstractDependencyMojo m, List<RequirementsFile> files, Set<String> secrets)
            throws IOException {
        Settings settings = m.session == null ? null : m.session.getSettings();
        List<SourceSelection.IndexSpec> specs = new ArrayList<>();
        if (m.indexes != null) {
            m.indexes.forEach(i -> specs.add(new SourceSelection.IndexSpec(i.id, i.url, i.credentialsFor)));
        }
        IndexRequest request = new IndexRequest(specs, m.indexUrl, m.findLinks, m.indexPins, m.allowInsecureIndex,
                m.offline || m.session != null && m.session.isOffline(), m.downloadThreads,
                Duration.ofSeconds(Math.max(1, m.downloadDeadline)),
                m.cacheDirectory == null ? null : m.cacheDirectory.toPath(),
                id -> serverCredentials(settings, m.settingsDecrypter, id, secrets), proxies(settings,
                m.settingsDecrypter, secrets));
        IndexConfiguration config = request.configure(files, System.getenv(), System.getProperty("user.home"),
                m.listener());
        config.indexes().stream().filter(s -> s.credentials() != null).forEach(s -> secrets.add(s.credentials()
                .password()));
        return config;
    }

    private static List<ProxySpec> proxies(Settings settings, SettingsDecrypter decrypter, Set<String> secrets) {
        List<ProxySpec> proxies = new ArrayList<>();
        if (settings != null) {
            for (Proxy p : settings.getProxies()) {
                if (p.isActive()) {
                    Proxy d = decrypt(decrypter, p);
                    Credentials c = d.getUsername() == null ? null : new Credentials(d.getUsername(), d.getPassword());
                    if (c != null) {
                        secrets.add(c.password());
                    }
                    proxies.add(new ProxySpec(p.getProtocol(), p.getHost(), p.getPort(), c, p.getNonProxyHosts()));
                }
            }
        }
        return proxies;
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
