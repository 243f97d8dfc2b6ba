// End to end: bulkhead-cli on the Online Boutique sample, compared with what a user relies on —
// Google's hand-written policies, the Kubernetes schema, byte-identical reruns, exact least
// privilege, and clean failures on bad input.
#include <QtTest>

#include "clirun.h"
#include "testsupport.h"

#include "model/buildmodel.h"
#include "policy/policyloader.h"
#include "project/project.h"
#include "review/evaluator.h"

#include <filesystem>
#include <set>

using namespace bulkhead;

namespace {

const QString sampleDir = bulkhead::testing::sampleDirectory();
const QString cli = QStringLiteral(BULKHEAD_BIN_DIR "/bulkhead-cli");

using Run = bulkhead::testing::CliRun;

using bulkhead::testing::runCli;
using bulkhead::testing::sampleInputs;

Model sampleModel()
{
    PipelineInputs inputs;
    inputs.inventories = {(sampleDir + "/inventory.yaml").toStdString()};
    inputs.captures
        = {(sampleDir + "/node1.pcapng").toStdString(), (sampleDir + "/node2.pcap").toStdString()};
    inputs.zonesFile = (sampleDir + "/zones.yaml").toStdString();
    auto model = buildModel(inputs);
    if (!model)
        qFatal("sample does not load: %s", model.error().toString().c_str());
    return std::move(*model);
}

} // namespace

class tst_Cli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(cli), "bulkhead-cli is not built");
        const Run r = runCli(QStringList{"generate"} + sampleInputs());
        QCOMPARE(r.exitCode, 0);
        m_generated = r.out;
        QVERIFY(m_generated.startsWith("apiVersion: networking.k8s.io/v1"));
    }

    // Ingress, workload by workload and port by port, equals Google's hand-written policies
    // (frontend: Google's accepts everyone on purpose; ours must accept exactly the callers the
    // capture holds).
    void ingressMatchesGooglesPolicies()
    {
        const std::filesystem::path folder
            = std::filesystem::path(BULKHEAD_SHARED_DIR) / "apps/online-boutique/network-policies";
        if (!std::filesystem::exists(folder))
            QSKIP(
                "../shared/apps/online-boutique is absent: cannot compare with Google's policies");
        std::vector<std::string> files;
        for (const auto &entry : std::filesystem::directory_iterator(folder)) {
            if (entry.path().filename().string().starts_with("network-policy-"))
                files.push_back(entry.path().string());
        }
        std::sort(files.begin(), files.end());
        auto google = loadPolicyFiles(files);
        QVERIFY_OK(google);
        for (NetworkPolicy &p : *google)
            p.ns = "boutique"; // Google's are namespace-less; the sample runs in "boutique"
        auto ours = loadPoliciesText(m_generated.toStdString(), "generated.yaml");
        QVERIFY_OK(ours);

        const Model model = sampleModel();
        const Inventory &inv = model.inventory;
        const PolicyEvaluator googleEval(inv, *google);
        const PolicyEvaluator ourEval(inv, *ours);
        const int frontend = inv.findWorkload("boutique", "frontend");
        const int loadgenerator = inv.findWorkload("boutique", "loadgenerator");
        QVERIFY(frontend >= 0 && loadgenerator >= 0);

        int compared = 0, allowed = 0;
        for (size_t to = 0; to < inv.workloads.size(); ++to) {
            if (inv.workloads[to].ns != "boutique")
                continue;
            for (const ContainerPort &port : inv.workloads[to].ports) {
                for (size_t from = 0; from < inv.workloads.size(); ++from) {
                    if (inv.workloads[from].ns != "boutique")
                        continue;
                    const Peer src = Peer::workload(int(from)), dst = Peer::workload(int(to));
                    const bool ourIngress
                        = ourEval.evaluate(src, dst, port.protocol, port.port).ingress.allowed;
                    const bool expected
                        = int(to) == frontend
                              ? int(from) == loadgenerator
                              : googleEval.evaluate(src, dst, port.protocol, port.port)
                                    .ingress.allowed;
                    const QByteArray what = QByteArray::fromStdString(
                        inv.workloads[from].id() + " -> " + inv.workloads[to].id() + ':'
                        + std::to_string(port.port));
                    QVERIFY2(ourIngress == expected, what.constData());
                    ++compared;
                    allowed += expected;
                }
            }
        }
        QCOMPARE(compared, 11 * 12); // 11 destinations declare one port each, 12 possible sources
        QCOMPARE(allowed, 16);       // Google's 15 rules + loadgenerator -> frontend
    }

    // The guarantee: evaluated with Kubernetes semantics, the policies allow every intent edge
    // and nothing else, over every workload pair, every declared or observed port, both
    // protocols, plus the external peers.
    void leastPrivilegeExactly()
    {
        auto ours = loadPoliciesText(m_generated.toStdString(), "generated.yaml");
        QVERIFY(ours);
        const Model model = sampleModel();
        const Inventory &inv = model.inventory;
        const PolicyEvaluator eval(inv, *ours);

        std::set<std::tuple<Peer, Peer, Protocol, uint16_t>> intent;
        std::set<std::pair<Protocol, uint16_t>> ports;
        for (const Edge &e : model.analysis.edges) {
            intent.insert({e.from, e.to, e.protocol, e.port});
            ports.insert({e.protocol, e.port});
        }
        for (const Workload &w : inv.workloads) {
            for (const ContainerPort &p : w.ports)
                ports.insert({p.protocol, p.port});
        }
        std::vector<Peer> peers;
        for (size_t i = 0; i < inv.workloads.size(); ++i)
            peers.push_back(Peer::workload(int(i)));
        for (const Edge &e : model.analysis.edges) {
            if (!e.from.isWorkload())
                peers.push_back(e.from);
            if (!e.to.isWorkload())
                peers.push_back(e.to);
        }
        peers.push_back(Peer{PeerKind::External, -1, *IpAddress::parse("198.51.100.7")});

        auto policed = [&](const Peer &p) {
            return p.isWorkload() && inv.workloads[p.index].ns == "boutique";
        };
        int checked = 0;
        for (const Peer &from : peers) {
            for (const Peer &to : peers) {
                if (!policed(from) && !policed(to))
                    continue; // kube-system is not policed (docs/semantics.md "Generated policies")
                for (const auto &[protocol, port] : ports) {
                    const bool allowed = eval.allows(from, to, protocol, port);
                    // Only the policed side is constrained: a peer outside "boutique" keeps
                    // Kubernetes' default for its own side.
                    const bool inIntent = intent.count({from, to, protocol, port}) > 0;
                    const QByteArray what = QByteArray::fromStdString(
                        peerName(inv, from) + " -> " + peerName(inv, to) + ' '
                        + std::string(protocolName(protocol)) + '/' + std::to_string(port));
                    QVERIFY2(allowed == inIntent, what.constData());
                    ++checked;
                }
            }
        }
        QVERIFY2(checked > 2000, QByteArray::number(checked).constData());
    }

    void validAgainstKubernetesSchema()
    {
        const QString schema
            = QStringLiteral(BULKHEAD_SHARED_DIR "/k8s/networkpolicy-v1.30-standalone-strict.json");
        if (!QFileInfo::exists(schema))
            QSKIP("../shared/k8s is absent: no schema to validate against");
        QTemporaryDir dir;
        const QString file = dir.filePath("policies.yaml");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(m_generated);
        f.close();
        QProcess p;
        p.start("python3", {BULKHEAD_SOURCE_DIR "/tests/tools/validate_policies.py", schema, file});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0,
                 (p.readAllStandardOutput() + p.readAllStandardError()).constData());
        QCOMPARE(m_generated.count("kind: NetworkPolicy"), 13); // 12 workloads + default-deny
        QCOMPARE(m_generated.count("app.kubernetes.io/managed-by: bulkhead"), 13);
    }

    // --explain: a comment above each rule with the flows that justify it; the policies are the
    // same.
    void explainComments()
    {
        const Run r = runCli(QStringList{"generate", "--explain"} + sampleInputs());
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(
            "  # boutique/checkoutservice -> boutique/emailservice TCP 8080: 1 flow, "));
        QByteArray stripped;
        for (const QByteArray &line : r.out.split('\n')) {
            if (!line.trimmed().startsWith('#'))
                stripped += line + '\n';
        }
        stripped.chop(1);
        QCOMPARE(stripped, m_generated);
    }

    void sameInputSameBytes()
    {
        QTemporaryDir dir;
        const QString a = dir.filePath("a.yaml"), b = dir.filePath("b.yaml");
        QCOMPARE(
            runCli(QStringList{"generate"} + sampleInputs() + QStringList{"--output", a}).exitCode,
            0);
        QCOMPARE(
            runCli(QStringList{"generate"} + sampleInputs() + QStringList{"--output", b}).exitCode,
            0);
        QFile fa(a), fb(b);
        QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
        const QByteArray bytes = fa.readAll();
        QCOMPARE(bytes, fb.readAll());
        QCOMPARE(bytes, m_generated);
        QCOMPARE(QFileInfo(a).permissions() & QFileDevice::WriteOther, QFileDevice::Permissions());
    }

    void reportHasEvidence()
    {
        QTemporaryDir dir;
        const QString report = dir.filePath("report.json");
        QCOMPARE(runCli(QStringList{"generate"} + sampleInputs()
                        + QStringList{"--output", dir.filePath("p.yaml"), "--report", report})
                     .exitCode,
                 0);
        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject j = QJsonDocument::fromJson(f.readAll()).object();
        const QJsonArray edges = j["edges"].toArray();
        bool found = false;
        for (const QJsonValue &v : edges) {
            const QJsonObject e = v.toObject();
            if (e["from"] == "boutique/checkoutservice" && e["to"] == "boutique/emailservice") {
                found = true;
                QCOMPARE(e["port"].toInt(), 8080); // Service port 5000 -> container port 8080
                QCOMPARE(e["viaServices"].toArray().first().toString(),
                         QString("boutique/emailservice"));
                QVERIFY(e["flows"].toInt() >= 1);
                QVERIFY(e["firstSeen"].toString().startsWith("2026-11-02T"));
                QVERIFY(!e["captures"].toArray().isEmpty());
            }
        }
        QVERIFY(found);
        // Every rule is linked to its edges: checkoutservice's single ingress rule allows the
        // frontend.
        bool linked = false;
        for (const QJsonValue &v : j["policies"].toArray()) {
            const QJsonObject p = v.toObject();
            if (p["name"] == "checkoutservice") {
                QCOMPARE(p["ingress"].toArray().size(), 1);
                QCOMPARE(p["ingress"][0]["edges"].toArray(),
                         QJsonArray{"boutique/frontend -> boutique/checkoutservice TCP/5050"});
                QCOMPARE(p["egress"].toArray().size(), 6);
                linked = true;
            }
        }
        QVERIFY(linked);
        QStringList attempts;
        for (const QJsonValue &v : j["attempts"].toArray())
            attempts << v.toObject()["state"].toString();
        attempts.sort();
        QCOMPARE(attempts, QStringList({"refused", "unanswered"}));
    }

    void badInputs_data()
    {
        QTest::addColumn<QString>("content");
        QTest::addColumn<QString>("as");       // inventory or capture
        QTest::addColumn<QString>("expected"); // in the message
        QTest::newRow("yaml syntax")
            << "apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata: {name: x\n"
            << "inventory"
            << "bad.yaml:";
        QTest::newRow("service without ports")
            << "apiVersion: v1\nkind: Service\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n "
               " clusterIP: 10.96.0.9\n"
            << "inventory"
            << "bad.yaml:1: Service \"cart\" has no spec.ports";
        QTest::newRow("not a capture") << "this is not a capture\n"
                                       << "capture"
                                       << "bad.yaml";
    }
    void badInputs()
    {
        QFETCH(QString, content);
        QFETCH(QString, as);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString bad = dir.filePath("bad.yaml");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content.toUtf8());
        f.close();
        const QString output = dir.filePath("out.yaml");
        QStringList args{"generate", "--output", output};
        if (as == "inventory")
            args << "--inventory" << bad << "--capture" << sampleDir + "/node2.pcap";
        else
            args << "--inventory" << sampleDir + "/inventory.yaml"
                 << "--capture" << bad;
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(expected.toUtf8()), r.err.constData());
        QVERIFY2(!r.err.contains("terminate called"), r.err.constData());
        QVERIFY(!QFileInfo::exists(output)); // nothing half-written
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"bad.yaml"});
    }

    void refusesToOverwriteAnInput()
    {
        QTemporaryDir dir;
        const QString copy = dir.filePath("inventory.yaml");
        QVERIFY(QFile::copy(sampleDir + "/inventory.yaml", copy));
        const QByteArray before = [&] {
            QFile f(copy);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        const Run r = runCli({"generate", "--inventory", copy, "--capture",
                              sampleDir + "/node2.pcap", "--output", copy});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("refusing to overwrite"));
        QFile f(copy);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
    }

    void usageErrorsAndHelp()
    {
        QCOMPARE(runCli({"generate", "--granularity", "pod"}).exitCode, 2);
        QCOMPARE(runCli({"frobnicate"}).exitCode, 2);
        const Run help = runCli({"generate", "--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("--named-ports"));
        QVERIFY(runCli({"flows", "--help"}).out.contains("--format"));
    }

    void flowsJson()
    {
        const Run r = runCli({"flows", "--inventory", sampleDir + "/inventory.yaml", "--capture",
                              sampleDir + "/node1.pcapng", "--capture", sampleDir + "/node2.pcap",
                              "--format", "json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        int refused = 0, unanswered = 0, ownNode = 0, viaService = 0;
        for (const QJsonValue &v : j["flows"].toArray()) {
            const QJsonObject f = v.toObject();
            refused += f["state"] == "refused";
            unanswered += f["state"] == "unanswered";
            ownNode += f["ownNode"].toBool();
            viaService += f.contains("service");
        }
        QCOMPARE(refused, 1);
        QCOMPARE(unanswered, 1);
        QVERIFY(ownNode > 0);    // kubelet probes, left out of the edges
        QVERIFY(viaService > 0); // calls through Service VIPs
    }

    void checkGooglesPolicies()
    {
        const QString folder
            = QStringLiteral(BULKHEAD_SHARED_DIR "/apps/online-boutique/network-policies");
        if (!QFileInfo::exists(folder))
            QSKIP("../shared/apps/online-boutique is absent: cannot check Google's policies");
        QStringList policies;
        for (const QString &name :
             QDir(folder).entryList({"network-policy-*.yaml"}, QDir::Files, QDir::Name))
            policies << "--policies" << folder + '/' + name;
        QCOMPARE(policies.size(), 26);
        const QStringList base
            = QStringList{"check", "-n", "boutique", "--format", "json"} + sampleInputs().mid(0, 6);
        const Run r = runCli(base + policies);
        QCOMPARE(r.exitCode, 0);
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j["summary"].toObject()["breaks"].toInt(), 0);
        QCOMPARE(j["summary"].toObject()["observedEdges"].toInt(), 23);
        // Their egress is wide open: adservice may reach kube-dns' metrics port, never observed.
        bool wideEgress = false;
        for (const QJsonValue &v : j["excess"].toArray()) {
            const QJsonObject e = v.toObject();
            if (e["from"] == "boutique/adservice" && e["to"] == "kube-system/coredns"
                && e["port"] == 9153)
                wideEgress = e["policies"].toArray() == QJsonArray{"boutique/adservice"};
        }
        QVERIFY(wideEgress);

        // One policy altered to select a label no pod has: cartservice is then isolated by
        // deny-all alone, and the observed calls to it break.
        QTemporaryDir dir;
        QFile in(folder + "/network-policy-cartservice.yaml");
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray altered = in.readAll();
        QVERIFY(altered.contains("      app: cartservice\n  policyTypes"));
        altered.replace("      app: cartservice\n  policyTypes",
                        "      app: no-such-app\n  policyTypes");
        const QString alteredFile = dir.filePath("network-policy-cartservice.yaml");
        QFile out(alteredFile);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(altered);
        out.close();
        policies[policies.indexOf(folder + "/network-policy-cartservice.yaml")] = alteredFile;
        const Run broken = runCli(base + policies);
        QCOMPARE(broken.exitCode, 1);
        const QJsonArray breaks = QJsonDocument::fromJson(broken.out).object()["breaks"].toArray();
        // deny-all isolates cartservice both ways, and now no rule allows either side.
        QStringList found;
        for (const QJsonValue &v : breaks) {
            const QJsonObject b = v.toObject();
            found << b["from"].toString() + " -> " + b["to"].toString() + ' '
                         + b["side"].toString();
            QVERIFY(b["reason"].toString().contains("by boutique/deny-all; no rule allows it"));
        }
        QCOMPARE(found, QStringList({"boutique/cartservice -> boutique/redis-cart egress",
                                     "boutique/cartservice -> kube-system/coredns egress",
                                     "boutique/checkoutservice -> boutique/cartservice ingress",
                                     "boutique/frontend -> boutique/cartservice ingress"}));
    }

    // Bulkhead's own policies (system namespaces policed too) against the same captures.
    void checkOwnPolicies()
    {
        QTemporaryDir dir;
        const QString own = dir.filePath("own.yaml");
        QCOMPARE(runCli(QStringList{"generate", "--include-system-namespaces", "--output", own}
                        + sampleInputs())
                     .exitCode,
                 0);
        const Run r = runCli(QStringList{"check", "--format", "json", "--policies", own}
                             + sampleInputs().mid(0, 6));
        QCOMPARE(r.exitCode, 0);
        const QJsonObject summary = QJsonDocument::fromJson(r.out).object()["summary"].toObject();
        QCOMPARE(summary["breaks"].toInt(), 0);
        QCOMPARE(summary["excess"].toInt(), 0);
        QCOMPARE(summary["observedEdges"].toInt(), 23);
    }

    // Blast radius under given policies: Google's (their frontend accepts everyone, so whoever
    // reaches it reaches everything) and Bulkhead's own, which must equal the intent.
    void blastRadiusUnderPolicies()
    {
        auto radius = [](const QStringList &extra, const QString &workload) {
            const Run r
                = runCli(QStringList{"blast-radius", "--format", "json", "--workload", workload}
                         + sampleInputs() + extra);
            if (r.exitCode != 0)
                qWarning() << r.err;
            return QJsonDocument::fromJson(r.out).object();
        };
        QTemporaryDir dir;
        const QString own = dir.filePath("own.yaml");
        QCOMPARE(runCli(QStringList{"generate", "--include-system-namespaces", "--output", own}
                        + sampleInputs())
                     .exitCode,
                 0);
        for (const QString &w :
             {"boutique/frontend", "boutique/checkoutservice", "boutique/adservice"}) {
            const QJsonObject intent = radius({}, w);
            const QJsonObject policies = radius({"--policies", own}, w);
            QCOMPARE(policies["policy"].toString(), QString("policies"));
            QCOMPARE(policies["workloads"][0]["reach"], intent["workloads"][0]["reach"]);
            QCOMPARE(policies["workloads"][0]["direct"], intent["workloads"][0]["direct"]);
            QCOMPARE(policies["workloads"][0]["reachedBy"], intent["workloads"][0]["reachedBy"]);
        }

        const QString folder
            = QStringLiteral(BULKHEAD_SHARED_DIR "/apps/online-boutique/network-policies");
        if (!QFileInfo::exists(folder))
            QSKIP("../shared/apps/online-boutique is absent: cannot evaluate Google's policies");
        QStringList google{"-n", "boutique"};
        for (const QString &name :
             QDir(folder).entryList({"network-policy-*.yaml"}, QDir::Files, QDir::Name))
            google << "--policies" << folder + '/' + name;
        const QJsonObject ad = radius(google, "boutique/adservice")["workloads"][0].toObject();
        // adservice may call the frontend (open ingress) and kube-system (not policed) directly,
        // and through the frontend every service but the load generator.
        QCOMPARE(ad["direct"].toArray(), QJsonArray({"boutique/frontend", "kube-system/coredns"}));
        QCOMPARE(ad["reach"].toArray().size(), 11);
        QCOMPARE(ad["paths"].toObject()["boutique/paymentservice"].toArray(),
                 QJsonArray({"boutique/adservice", "boutique/frontend", "boutique/checkoutservice",
                             "boutique/paymentservice"}));
    }

    // Project round trip: load the sample design, save it elsewhere (paths re-relativised), and
    // regenerate from both: the same bytes.
    void projectRoundTrip()
    {
        const std::string original = (sampleDir + "/design-example.bulkhead").toStdString();
        auto project = loadProject(original);
        QVERIFY_OK(project);
        QCOMPARE(project->decisions.denied.size(), size_t(1));
        QTemporaryDir dir;
        const QString copy = dir.filePath("sub/copy.bulkhead");
        QVERIFY(QDir().mkpath(dir.filePath("sub")));
        QVERIFY(saveProject(*project, copy.toStdString()));
        auto reloaded = loadProject(copy.toStdString());
        QVERIFY(reloaded);
        QCOMPARE(reloaded->decisions, project->decisions);
        const Run a = runCli({"generate", "--project", QString::fromStdString(original)});
        const Run b = runCli({"generate", "--project", copy});
        QCOMPARE(a.exitCode, 0);
        QCOMPARE(b.exitCode, 0);
        QCOMPARE(a.out, b.out);
        QVERIFY(!a.out.contains(
            "app: adservice\n    ports:\n    - protocol: TCP\n      port: 9555")); // denied

        QFile newer(dir.filePath("newer.bulkhead"));
        QVERIFY(newer.open(QIODevice::WriteOnly));
        newer.write("formatVersion: 9\ninventories: []\n");
        newer.close();
        const Run refused = runCli({"generate", "--project", newer.fileName()});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(
                     "newer.bulkhead:1: format version 9 is newer than this Bulkhead understands"),
                 refused.err.constData());
    }

    // render: the format follows the extension; the file appears whole or not at all.
    void render()
    {
        QTemporaryDir dir;
        const QString svg = dir.filePath("graph.svg");
        const Run r = runCli(QStringList{"render"} + sampleInputs() + QStringList{"--output", svg});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("graph.svg: 15 boxes, 23 arrows, laid out by dot"),
                 r.err.constData());
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QVERIFY(content.startsWith("<?xml"));
        QVERIFY(content.contains(">checkoutservice</text>"));
        QCOMPARE(int(file.permissions() & QFileDevice::WriteOther), 0);

        const QString dot = dir.filePath("graph.gv");
        QCOMPARE(
            runCli(QStringList{"render"} + sampleInputs()
                   + QStringList{"--output", dot, "--engine", "sfdp", "--clusters", "namespace"})
                .exitCode,
            0);
        QFile dotFile(dot);
        QVERIFY(dotFile.open(QIODevice::ReadOnly));
        QVERIFY(dotFile.readAll().startsWith("digraph bulkhead {"));

        const QString pdf = dir.filePath("graph.pdf");
        const Run bad
            = runCli(QStringList{"render"} + sampleInputs() + QStringList{"--output", pdf});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("graph.pdf: the file name must end in .svg, .png or .dot"),
                 bad.err.constData());
        QVERIFY(!QFile::exists(pdf));

        const Run broken
            = runCli({"render", "--inventory", sampleDir + "/zones.yaml", "--capture",
                      sampleDir + "/node2.pcap", "--output", dir.filePath("broken.png")});
        QCOMPARE(broken.exitCode, 2);
        QVERIFY(broken.err.contains("zones.yaml"));
        QVERIFY(!QFile::exists(dir.filePath("broken.png")));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(),
                 2); // graph.svg, graph.gv
    }

private:
    QByteArray m_generated;
};

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
