// QtTest first: Qt 6.4's moc (given C++17 predefines by CMake 3.25) cannot parse <concepts> when
// <compare> is the first standard header it meets, as it is through analysis/peer.h.
#include <QtTest>

#include "review/evaluator.h"
#include "testsupport.h"

#include "policy/policyloader.h"

#include <filesystem>

using namespace bulkhead;

namespace {

struct PodSpec
{
    const char *address;
    const char *hostIp;
};

Workload makeWorkload(const std::string &ns, const std::string &name, Labels labels,
                      std::vector<PodSpec> pods, std::vector<ContainerPort> ports,
                      const std::string &kind = "Deployment")
{
    Workload w;
    w.ns = ns;
    w.name = name;
    w.kind = kind;
    w.labels = std::move(labels);
    int i = 0;
    for (const PodSpec &spec : pods) {
        PodMember pod;
        pod.name = name + '-' + std::to_string(i++);
        if (spec.address)
            pod.addresses.push_back(*IpAddress::parse(spec.address));
        if (spec.hostIp)
            pod.hostIp = IpAddress::parse(spec.hostIp);
        w.pods.push_back(std::move(pod));
    }
    w.ports = std::move(ports);
    return w;
}

// The cluster every row runs against:
//   namespaces shop {team: a, env: prod}, ops {team: ops}, dev (no labels), ext (no labels)
//   nodes node-a 192.168.0.1, node-b 192.168.0.2, node-c 192.168.0.3
//   named external network corp-vpn 10.8.0.0/16
Inventory cluster()
{
    Inventory inv;
    inv.namespaces["shop"] = {{"team", "a"}, {"env", "prod"}};
    inv.namespaces["ops"] = {{"team", "ops"}};
    inv.namespaces["dev"] = {};
    const Protocol tcp = Protocol::TCP;
    // dev/tester carries app=frontend on purpose: a podSelector-only peer must not reach across
    // namespaces.
    inv.workloads.push_back(
        makeWorkload("dev", "tester", {{"app", "frontend"}}, {{"10.244.3.60", "192.168.0.3"}}, {}));
    inv.workloads.push_back(makeWorkload("ext", "backup", {{"app", "backup"}},
                                         {{"172.16.0.5", nullptr}}, {{"ssh", 22, tcp}}, "Host"));
    inv.workloads.push_back(makeWorkload("ops", "monitor", {{"app", "monitor"}},
                                         {{"10.244.3.50", "192.168.0.3"}},
                                         {{"metrics", 9100, tcp}}));
    inv.workloads.push_back(makeWorkload("shop", "cart", {{"app", "cart"}, {"tier", "backend"}},
                                         {{"10.244.1.20", "192.168.0.1"}},
                                         {{"grpc", 7070, tcp}, {"metrics", 9090, tcp}}));
    inv.workloads.push_back(makeWorkload("shop", "db", {{"app", "db"}, {"tier", "data"}},
                                         {{"10.244.2.30", "192.168.0.2"}},
                                         {{"postgres", 5432, tcp}}));
    inv.workloads.push_back(makeWorkload(
        "shop", "dns", {{"app", "dns"}}, {{"10.244.2.40", "192.168.0.2"}},
        {{"dns", 53, Protocol::UDP}, {"dns-tcp", 53, tcp}, {"diameter", 3868, Protocol::SCTP}}));
    inv.workloads.push_back(makeWorkload(
        "shop", "frontend", {{"app", "frontend"}, {"tier", "web"}},
        {{"10.244.1.10", "192.168.0.1"}, {"10.244.2.11", "192.168.0.2"}}, {{"http", 8080, tcp}}));
    inv.nodes.push_back({"node-a", {*IpAddress::parse("192.168.0.1")}});
    inv.nodes.push_back({"node-b", {*IpAddress::parse("192.168.0.2")}});
    inv.nodes.push_back({"node-c", {*IpAddress::parse("192.168.0.3")}});
    inv.externals.push_back({"corp-vpn", {*Cidr::parse("10.8.0.0/16")}});
    inv.clusterNetworks = {*Cidr::parse("10.244.0.0/16")};
    return inv;
}

// "shop/cart", "node:192.168.0.1", "ext:8.8.8.8", "net:corp-vpn", "una:10.244.9.9".
Peer peerFor(const Inventory &inv, const QString &text)
{
    const std::string s = text.toStdString();
    const auto value = s.substr(s.find(':') + 1);
    if (s.starts_with("node:")) {
        const IpAddress address = *IpAddress::parse(value);
        int index = -1;
        for (size_t i = 0; i < inv.nodes.size(); ++i) {
            if (inv.nodes[i].addresses.front() == address)
                index = int(i);
        }
        return Peer{PeerKind::Node, index, address};
    }
    if (s.starts_with("ext:"))
        return Peer{PeerKind::External, -1, *IpAddress::parse(value)};
    if (s.starts_with("una:"))
        return Peer{PeerKind::Unattributed, -1, *IpAddress::parse(value)};
    if (s.starts_with("net:")) {
        for (size_t i = 0; i < inv.externals.size(); ++i) {
            if (inv.externals[i].name == value)
                return Peer{PeerKind::ExternalNetwork, int(i), {}};
        }
        qFatal("no external network %s", value.c_str());
    }
    const auto slash = s.find('/');
    const int index = inv.findWorkload(s.substr(0, slash), s.substr(slash + 1));
    if (index < 0)
        qFatal("no workload %s", s.c_str());
    return Peer::workload(index);
}

// One NetworkPolicy document; `spec` is a flow mapping such as "{podSelector: {}}".
QString np(const QString &ns, const QString &name, const QString &spec)
{
    return QStringLiteral("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: "
                          "{name: %1, namespace: %2}\nspec: %3\n")
        .arg(name, ns, spec);
}

Protocol protocolFrom(const QString &text)
{
    return *parseProtocol(text.toStdString());
}

} // namespace

class tst_Evaluator : public QObject
{
    Q_OBJECT

private slots:
    void verdict_data();
    void verdict();
    void selectionsAndIsolation();
    void allowedByListsEveryRule();
    void ingressCandidates_data();
    void ingressCandidates();
    void onlineBoutique();
};

void tst_Evaluator::verdict_data()
{
    QTest::addColumn<QString>("policies");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("ipBlockMatchesPods");
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<bool>("choiceMattered");
    QTest::addColumn<QString>("reason"); // the verdict's reason, exactly

    const QString notIsoFeEg = "shop/frontend is not isolated for egress";
    const QString denyAllIn = np("shop", "deny-all", "{podSelector: {}}");
    const QString cartFromFe7070
        = np("shop", "cart-in",
             "{podSelector: {matchLabels: {app: cart}}, ingress: [{from: [{podSelector: "
             "{matchLabels: {app: frontend}}}], ports: [{port: 7070}]}]}");
    const QString cartIn = "shop/cart ingress allowed by shop/cart-in ingress[0]";
    const QString cartDenied = "shop/cart isolated for ingress by shop/cart-in; no rule allows it";
    const auto cartIngress = [](const QString &rule) {
        return np("shop", "cart-in",
                  "{podSelector: {matchLabels: {app: cart}}, ingress: [" + rule + "]}");
    };
    const auto feEgress = [](const QString &rule) {
        return np("shop", "fe-out",
                  "{podSelector: {matchLabels: {app: frontend}}, policyTypes: [Egress], egress: ["
                      + rule + "]}");
    };
    const QString feOut = "shop/frontend egress allowed by shop/fe-out egress[0]";
    const QString feOutDenied
        = "shop/frontend isolated for egress by shop/fe-out; no rule allows it";

    // --- isolation and its scope
    QTest::newRow("no policies") << ""
                                 << "shop/frontend"
                                 << "shop/cart"
                                 << "TCP" << 7070 << false << true << false
                                 << notIsoFeEg + "; shop/cart is not isolated for ingress";
    QTest::newRow("deny-all isolates for ingress")
        << denyAllIn << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << false << false
        << "shop/cart isolated for ingress by shop/deny-all; no rule allows it";
    QTest::newRow("policy in another namespace does not isolate")
        << np("ops", "deny-all", "{podSelector: {}}") << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << notIsoFeEg + "; shop/cart is not isolated for ingress";
    QTest::newRow("policy selecting other pods does not isolate")
        << np("shop", "db-only",
              "{podSelector: {matchExpressions: [{key: tier, operator: In, values: [data]}]}}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << notIsoFeEg + "; shop/cart is not isolated for ingress";
    QTest::newRow("policy selector with expression isolates")
        << np("shop", "db-only",
              "{podSelector: {matchExpressions: [{key: tier, operator: In, values: [data]}]}}")
        << "shop/frontend"
        << "shop/db"
        << "TCP" << 5432 << false << false << false
        << "shop/db isolated for ingress by shop/db-only; no rule allows it";

    // --- rule peers and ports
    QTest::newRow("allowed source and port")
        << cartFromFe7070 << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false << notIsoFeEg + "; " + cartIn;
    QTest::newRow("other port") << cartFromFe7070 << "shop/frontend"
                                << "shop/cart"
                                << "TCP" << 7071 << false << false << false << cartDenied;
    QTest::newRow("other source") << cartFromFe7070 << "shop/db"
                                  << "shop/cart"
                                  << "TCP" << 7070 << false << false << false << cartDenied;
    QTest::newRow("protocol defaults to TCP: UDP denied")
        << cartFromFe7070 << "shop/frontend"
        << "shop/cart"
        << "UDP" << 7070 << false << false << false << cartDenied;
    QTest::newRow("podSelector-only peer: another namespace does not match")
        << cartFromFe7070 << "dev/tester"
        << "shop/cart"
        << "TCP" << 7070 << false << false << false << cartDenied;
    QTest::newRow("namespaceSelector-only peer: all pods of matching namespaces")
        << cartIngress("{from: [{namespaceSelector: {matchLabels: {team: ops}}}]}") << "ops/monitor"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << "ops/monitor is not isolated for egress; " + cartIn;
    QTest::newRow("namespaceSelector-only peer: other namespace")
        << cartIngress("{from: [{namespaceSelector: {matchLabels: {team: ops}}}]}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << false << false << cartDenied;
    QTest::newRow("namespaceSelector AND podSelector")
        << cartIngress("{from: [{namespaceSelector: {matchLabels: {team: ops}}, podSelector: "
                       "{matchLabels: {app: monitor}}}]}")
        << "ops/monitor"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << "ops/monitor is not isolated for egress; " + cartIn;
    QTest::newRow("namespaceSelector AND podSelector: pod does not match")
        << cartIngress("{from: [{namespaceSelector: {matchLabels: {team: ops}}, podSelector: "
                       "{matchLabels: {app: frontend}}}]}")
        << "ops/monitor"
        << "shop/cart"
        << "TCP" << 7070 << false << false << false << cartDenied;
    QTest::newRow("peers are ORed")
        << cartIngress("{from: [{namespaceSelector: {matchLabels: {team: ops}}}, {podSelector: "
                       "{matchLabels: {app: frontend}}}]}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false << notIsoFeEg + "; " + cartIn;
    QTest::newRow("namespaceSelector {} matches every namespace")
        << cartIngress(
               "{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: frontend}}}]}")
        << "dev/tester"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << "dev/tester is not isolated for egress; " + cartIn;
    QTest::newRow("namespace by kubernetes.io/metadata.name")
        << cartIngress(
               "{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: dev}}}]}")
        << "dev/tester"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << "dev/tester is not isolated for egress; " + cartIn;
    QTest::newRow("matchExpressions In")
        << cartIngress("{from: [{podSelector: {matchExpressions: [{key: tier, operator: In, "
                       "values: [web, data]}]}}]}")
        << "shop/db"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << "shop/db is not isolated for egress; " + cartIn;
    QTest::newRow("NotIn is true when the key is absent")
        << cartIngress("{from: [{podSelector: {matchExpressions: [{key: tier, operator: NotIn, "
                       "values: [web]}]}}]}")
        << "shop/dns"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << "shop/dns is not isolated for egress; " + cartIn;
    QTest::newRow("NotIn excludes the listed value")
        << cartIngress("{from: [{podSelector: {matchExpressions: [{key: tier, operator: NotIn, "
                       "values: [web]}]}}]}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << false << false << cartDenied;
    QTest::newRow("Exists needs the key") << cartIngress(
        "{from: [{podSelector: {matchExpressions: [{key: tier, operator: Exists}]}}]}")
                                          << "shop/dns"
                                          << "shop/cart"
                                          << "TCP" << 7070 << false << false << false << cartDenied;
    QTest::newRow("DoesNotExist") << cartIngress(
        "{from: [{podSelector: {matchExpressions: [{key: tier, operator: DoesNotExist}]}}]}")
                                  << "shop/dns"
                                  << "shop/cart"
                                  << "TCP" << 7070 << false << true << false
                                  << "shop/dns is not isolated for egress; " + cartIn;
    QTest::newRow("empty podSelector selects all pods of the namespace")
        << np("shop", "same-ns", "{podSelector: {}, ingress: [{from: [{podSelector: {}}]}]}")
        << "shop/frontend"
        << "shop/db"
        << "TCP" << 5432 << false << true << false
        << notIsoFeEg + "; shop/db ingress allowed by shop/same-ns ingress[0]";
    QTest::newRow("empty podSelector peer: not other namespaces")
        << np("shop", "same-ns", "{podSelector: {}, ingress: [{from: [{podSelector: {}}]}]}")
        << "ops/monitor"
        << "shop/db"
        << "TCP" << 5432 << false << false << false
        << "shop/db isolated for ingress by shop/same-ns; no rule allows it";

    // --- empty versus missing
    QTest::newRow("ingress: [] denies all")
        << np("shop", "cart-in",
              "{podSelector: {matchLabels: {app: cart}}, policyTypes: [Ingress], ingress: []}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << false << false << cartDenied;
    QTest::newRow("ingress: [{}] allows all, even external")
        << cartIngress("{}") << "ext:8.8.8.8"
        << "shop/cart"
        << "TCP" << 9999 << false << true << false
        << "8.8.8.8 is not a pod: no egress policy applies; " + cartIn;
    QTest::newRow("from: [] and ports: [] mean all")
        << cartIngress("{from: [], ports: []}") << "ops/monitor"
        << "shop/cart"
        << "UDP" << 5000 << false << true << false
        << "ops/monitor is not isolated for egress; " + cartIn;
    QTest::newRow("egress: [] without policyTypes does not restrict egress")
        << np("shop", "fe-out", "{podSelector: {matchLabels: {app: frontend}}, egress: []}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << notIsoFeEg + "; shop/cart is not isolated for ingress";
    QTest::newRow("policyTypes Egress without rules denies egress")
        << np("shop", "fe-out",
              "{podSelector: {matchLabels: {app: frontend}}, policyTypes: [Egress]}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << false << false << feOutDenied;
    QTest::newRow("egress: [{}] allows all")
        << feEgress("{}") << "shop/frontend"
        << "ext:1.1.1.1"
        << "UDP" << 53 << false << true << false
        << feOut + "; 1.1.1.1 is not a pod: no ingress policy applies";
    QTest::newRow("policyTypes Egress: ingress rules ignored, no ingress isolation")
        << np("shop", "cart-eg",
              "{podSelector: {matchLabels: {app: cart}}, policyTypes: [Egress], ingress: [{from: "
              "[{podSelector: {matchLabels: {app: db}}}]}]}")
        << "ops/monitor"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << "ops/monitor is not isolated for egress; shop/cart is not isolated for ingress";
    QTest::newRow("egress allowed, ingress denies")
        << feEgress("{}") + denyAllIn << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << false << false
        << "shop/cart isolated for ingress by shop/deny-all; no rule allows it";
    QTest::newRow("both directions deny")
        << np("shop", "deny-both", "{podSelector: {}, policyTypes: [Ingress, Egress]}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << false << false
        << "shop/frontend isolated for egress by shop/deny-both; no rule allows it; shop/cart "
           "isolated for ingress by shop/deny-both; no rule allows it";
    QTest::newRow("union of policies selecting the pod")
        << cartFromFe7070
               + np("shop", "cart-db",
                    "{podSelector: {matchLabels: {tier: backend}}, ingress: [{from: [{podSelector: "
                    "{matchLabels: {app: db}}}]}]}")
        << "shop/db"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << "shop/db is not isolated for egress; shop/cart ingress allowed by shop/cart-db "
           "ingress[0]";

    // --- ipBlock
    QTest::newRow("ipBlock to external")
        << feEgress("{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]}") << "shop/frontend"
        << "ext:8.8.8.8"
        << "TCP" << 443 << false << true << false
        << feOut + "; 8.8.8.8 is not a pod: no ingress policy applies";
    QTest::newRow("ipBlock except")
        << feEgress("{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]}") << "shop/frontend"
        << "ext:10.1.2.3"
        << "TCP" << 443 << false << false << false << feOutDenied;
    QTest::newRow("ipBlock vs pod IP, ipBlockMatchesPods off")
        << feEgress("{to: [{ipBlock: {cidr: 10.244.0.0/16}}]}") << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << false << true
        << feOutDenied
               + " (an ipBlock covers the pod addresses: CNIs that apply ipBlock to pods would "
                 "allow it, see ipBlockMatchesPods)";
    QTest::newRow("ipBlock vs pod IP, ipBlockMatchesPods on")
        << feEgress("{to: [{ipBlock: {cidr: 10.244.0.0/16}}]}") << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << true << true
        << feOut
               + "; shop/cart is not isolated for ingress (allowed only because an ipBlock covers "
                 "the pod addresses; CNIs that do not apply ipBlock to pods would deny it)";
    QTest::newRow("ipBlock vs pod IP on ingress, except covers it")
        << cartIngress("{from: [{ipBlock: {cidr: 10.244.0.0/16, except: [10.244.1.0/24]}}]}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << false << false << cartDenied;
    QTest::newRow("ipBlock must cover every pod of the workload")
        << cartIngress("{from: [{ipBlock: {cidr: 10.244.1.0/24}}]}") << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << false << false << cartDenied;
    QTest::newRow("ipBlock on a non-Kubernetes host applies regardless")
        << cartIngress("{from: [{ipBlock: {cidr: 172.16.0.0/24}}]}") << "ext/backup"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << "ext/backup is not a pod: no egress policy applies; " + cartIn;
    QTest::newRow("non-Kubernetes host is never isolated")
        << np("ext", "deny-all", "{podSelector: {}}") << "shop/frontend"
        << "ext/backup"
        << "TCP" << 22 << false << true << false
        << notIsoFeEg + "; ext/backup is not a pod: no ingress policy applies";
    QTest::newRow("named network inside ipBlock")
        << cartIngress("{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}") << "net:corp-vpn"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << "corp-vpn is not a pod: no egress policy applies; " + cartIn;
    QTest::newRow("named network only partly inside ipBlock")
        << cartIngress("{from: [{ipBlock: {cidr: 10.8.0.0/24}}]}") << "net:corp-vpn"
        << "shop/cart"
        << "TCP" << 7070 << false << false << false << cartDenied;
    QTest::newRow("named network overlapping an except")
        << cartIngress("{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.8.1.0/24]}}]}")
        << "net:corp-vpn"
        << "shop/cart"
        << "TCP" << 7070 << false << false << false << cartDenied;
    QTest::newRow("another node through ipBlock")
        << cartIngress("{from: [{ipBlock: {cidr: 192.168.0.3/32}}]}") << "node:192.168.0.3"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << "192.168.0.3 is not a pod: no egress policy applies; " + cartIn;
    QTest::newRow("unattributed address through ipBlock")
        << cartIngress("{from: [{ipBlock: {cidr: 10.244.0.0/16}}]}") << "una:10.244.9.9"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << "10.244.9.9 is not a pod: no egress policy applies; " + cartIn;

    // --- ports
    QTest::newRow("ports: [{}] means every TCP port")
        << cartIngress("{from: [{podSelector: {matchLabels: {app: frontend}}}], ports: [{}]}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 9090 << false << true << false << notIsoFeEg + "; " + cartIn;
    QTest::newRow("ports: [{}] is TCP only")
        << cartIngress("{from: [{podSelector: {matchLabels: {app: frontend}}}], ports: [{}]}")
        << "shop/frontend"
        << "shop/cart"
        << "UDP" << 9090 << false << false << false << cartDenied;
    QTest::newRow("port entry without port: every UDP port")
        << np("shop", "dns-in",
              "{podSelector: {matchLabels: {app: dns}}, ingress: [{ports: [{protocol: UDP}]}]}")
        << "shop/frontend"
        << "shop/dns"
        << "UDP" << 53 << false << true << false
        << notIsoFeEg + "; shop/dns ingress allowed by shop/dns-in ingress[0]";
    QTest::newRow("named port on ingress")
        << cartIngress("{ports: [{port: grpc}]}") << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false << notIsoFeEg + "; " + cartIn;
    QTest::newRow("named port, other number")
        << cartIngress("{ports: [{port: grpc}]}") << "shop/frontend"
        << "shop/cart"
        << "TCP" << 9090 << false << false << false << cartDenied;
    QTest::newRow("named port on egress resolved on the destination")
        << feEgress("{ports: [{port: postgres}]}") << "shop/frontend"
        << "shop/db"
        << "TCP" << 5432 << false << true << false
        << feOut + "; shop/db is not isolated for ingress";
    QTest::newRow("named port on egress: destination lacks the name")
        << feEgress("{ports: [{port: postgres}]}") << "shop/frontend"
        << "shop/cart"
        << "TCP" << 5432 << false << false << false << feOutDenied;
    QTest::newRow("named port never matches an external destination")
        << feEgress("{ports: [{port: http}]}") << "shop/frontend"
        << "ext:8.8.8.8"
        << "TCP" << 8080 << false << false << false << feOutDenied;
    QTest::newRow("named port needs the same protocol")
        << np("shop", "dns-in",
              "{podSelector: {matchLabels: {app: dns}}, ingress: [{ports: [{port: dns, protocol: "
              "TCP}]}]}")
        << "shop/frontend"
        << "shop/dns"
        << "TCP" << 53 << false << false << false
        << "shop/dns isolated for ingress by shop/dns-in; no rule allows it";
    QTest::newRow("named UDP port")
        << np("shop", "dns-in",
              "{podSelector: {matchLabels: {app: dns}}, ingress: [{ports: [{port: dns, protocol: "
              "UDP}]}]}")
        << "shop/frontend"
        << "shop/dns"
        << "UDP" << 53 << false << true << false
        << notIsoFeEg + "; shop/dns ingress allowed by shop/dns-in ingress[0]";
    const QString range = cartIngress("{ports: [{port: 8000, endPort: 8080}]}");
    QTest::newRow("endPort: first port")
        << range << "shop/frontend"
        << "shop/cart"
        << "TCP" << 8000 << false << true << false << notIsoFeEg + "; " + cartIn;
    QTest::newRow("endPort: last port")
        << range << "shop/frontend"
        << "shop/cart"
        << "TCP" << 8080 << false << true << false << notIsoFeEg + "; " + cartIn;
    QTest::newRow("endPort: below") << range << "shop/frontend"
                                    << "shop/cart"
                                    << "TCP" << 7999 << false << false << false << cartDenied;
    QTest::newRow("endPort: above") << range << "shop/frontend"
                                    << "shop/cart"
                                    << "TCP" << 8081 << false << false << false << cartDenied;
    const QString udp53 = np("shop", "dns-in",
                             "{podSelector: {matchLabels: {app: dns}}, ingress: [{ports: [{port: "
                             "53, protocol: UDP}]}]}");
    QTest::newRow("UDP rule, UDP traffic")
        << udp53 << "shop/frontend"
        << "shop/dns"
        << "UDP" << 53 << false << true << false
        << notIsoFeEg + "; shop/dns ingress allowed by shop/dns-in ingress[0]";
    QTest::newRow("UDP rule, TCP traffic")
        << udp53 << "shop/frontend"
        << "shop/dns"
        << "TCP" << 53 << false << false << false
        << "shop/dns isolated for ingress by shop/dns-in; no rule allows it";
    const QString sctp = np("shop", "dns-in",
                            "{podSelector: {matchLabels: {app: dns}}, ingress: [{ports: [{port: "
                            "3868, protocol: SCTP}]}]}");
    QTest::newRow("SCTP rule, SCTP traffic")
        << sctp << "shop/frontend"
        << "shop/dns"
        << "SCTP" << 3868 << false << true << false
        << notIsoFeEg + "; shop/dns ingress allowed by shop/dns-in ingress[0]";
    QTest::newRow("SCTP rule, TCP traffic")
        << sctp << "shop/frontend"
        << "shop/dns"
        << "TCP" << 3868 << false << false << false
        << "shop/dns isolated for ingress by shop/dns-in; no rule allows it";

    // --- nodes and non-pods
    const QString denyBoth
        = np("shop", "deny-both", "{podSelector: {}, policyTypes: [Ingress, Egress]}");
    QTest::newRow("own node to pod always allowed")
        << denyBoth << "node:192.168.0.1"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << "traffic between a pod and its own node is always allowed";
    QTest::newRow("pod to own node always allowed")
        << denyBoth << "shop/cart"
        << "node:192.168.0.1"
        << "TCP" << 10250 << false << true << false
        << "traffic between a pod and its own node is always allowed";
    QTest::newRow("node of any pod of the workload")
        << denyBoth << "node:192.168.0.2"
        << "shop/frontend"
        << "TCP" << 8080 << false << true << false
        << "traffic between a pod and its own node is always allowed";
    QTest::newRow("another node is subject to policy")
        << denyBoth << "node:192.168.0.2"
        << "shop/cart"
        << "TCP" << 7070 << false << false << false
        << "shop/cart isolated for ingress by shop/deny-both; no rule allows it";
    QTest::newRow("external source, no policy")
        << ""
        << "ext:8.8.8.8"
        << "shop/cart"
        << "TCP" << 7070 << false << true << false
        << "8.8.8.8 is not a pod: no egress policy applies; shop/cart is not isolated for ingress";
    QTest::newRow("external destination ignores ingress isolation")
        << denyAllIn << "shop/frontend"
        << "ext:8.8.8.8"
        << "TCP" << 443 << false << true << false
        << notIsoFeEg + "; 8.8.8.8 is not a pod: no ingress policy applies";
}

void tst_Evaluator::verdict()
{
    QFETCH(QString, policies);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, protocol);
    QFETCH(int, port);
    QFETCH(bool, ipBlockMatchesPods);
    QFETCH(bool, allowed);
    QFETCH(bool, choiceMattered);
    QFETCH(QString, reason);

    const Inventory inv = cluster();
    const auto loaded = loadPoliciesText(policies.toStdString(), "policies.yaml");
    QVERIFY_OK(loaded);
    const PolicyEvaluator evaluator(inv, *loaded, EvaluatorOptions{ipBlockMatchesPods});
    const Peer a = peerFor(inv, from), b = peerFor(inv, to);
    const Verdict v = evaluator.evaluate(a, b, protocolFrom(protocol), uint16_t(port));
    QCOMPARE(QString::fromStdString(v.reason), reason);
    QCOMPARE(v.allowed, allowed);
    QCOMPARE(v.ipBlockChoiceMattered, choiceMattered);
    QCOMPARE(v.allowed, v.egress.allowed && v.ingress.allowed || v.ownNode);
    // The allocation-free path must agree with the explained one.
    QCOMPARE(evaluator.allows(a, b, protocolFrom(protocol), uint16_t(port)), allowed);
}

void tst_Evaluator::selectionsAndIsolation()
{
    const Inventory inv = cluster();
    const auto loaded = loadPoliciesText(
        (np("shop", "backend",
            "{podSelector: {matchExpressions: [{key: tier, operator: In, values: [backend, "
            "data]}]}, policyTypes: [Ingress, Egress]}")
         + np("shop", "fe", "{podSelector: {matchLabels: {app: frontend}}, egress: []}")
         + np("ops", "all", "{podSelector: {}, egress: [{}]}")
         + np("ext", "all", "{podSelector: {}}"))
            .toStdString(),
        "p.yaml");
    QVERIFY(loaded.has_value());
    const PolicyEvaluator evaluator(inv, *loaded);
    // Loaded policies are sorted: ext/all, ops/all, shop/backend, shop/fe.
    QCOMPARE(QString::fromStdString(evaluator.policies()[2].id()), QStringLiteral("shop/backend"));
    const int cart = inv.findWorkload("shop", "cart"), db = inv.findWorkload("shop", "db"),
              frontend = inv.findWorkload("shop", "frontend"),
              monitor = inv.findWorkload("ops", "monitor"),
              backup = inv.findWorkload("ext", "backup");
    QCOMPARE(std::vector<int>(evaluator.selectedWorkloads(2).begin(),
                              evaluator.selectedWorkloads(2).end()),
             (std::vector<int>{cart, db}));
    QCOMPARE(std::vector<int>(evaluator.selectedWorkloads(1).begin(),
                              evaluator.selectedWorkloads(1).end()),
             (std::vector<int>{monitor}));
    QVERIFY(evaluator.selectedWorkloads(0).empty()); // a Host is not a pod
    QVERIFY(!evaluator.isPod(backup));
    QVERIFY(evaluator.isolated(cart, PolicyDirection::Ingress));
    QVERIFY(evaluator.isolated(cart, PolicyDirection::Egress));
    QVERIFY(evaluator.isolated(frontend, PolicyDirection::Ingress));
    QVERIFY(
        !evaluator.isolated(frontend, PolicyDirection::Egress)); // egress: [] without policyTypes
    QVERIFY(evaluator.isolated(monitor, PolicyDirection::Egress));
    QVERIFY(!evaluator.isolated(inv.findWorkload("shop", "dns"), PolicyDirection::Ingress));
    QCOMPARE(
        std::vector<int>(evaluator.isolatingPolicies(monitor, PolicyDirection::Ingress).begin(),
                         evaluator.isolatingPolicies(monitor, PolicyDirection::Ingress).end()),
        (std::vector<int>{1}));
}

void tst_Evaluator::allowedByListsEveryRule()
{
    const Inventory inv = cluster();
    const auto loaded = loadPoliciesText(
        (np("shop", "b",
            "{podSelector: {matchLabels: {app: cart}}, ingress: [{ports: [{port: 80}]}, {from: "
            "[{podSelector: {}}]}]}")
         + np("shop", "a", "{podSelector: {}, ingress: [{ports: [{port: grpc}]}]}")
         + np("shop", "c", "{podSelector: {matchLabels: {app: db}}, ingress: [{}]}"))
            .toStdString(),
        "p.yaml");
    QVERIFY(loaded.has_value());
    const PolicyEvaluator evaluator(inv, *loaded);
    const Verdict v = evaluator.evaluate(peerFor(inv, "shop/frontend"), peerFor(inv, "shop/cart"),
                                         Protocol::TCP, 7070);
    QVERIFY(v.allowed);
    QVERIFY(v.ingress.isolated);
    QCOMPARE(v.ingress.isolatedBy, (std::vector<std::string>{"shop/a", "shop/b"}));
    QCOMPARE(v.ingress.allowedBy,
             (std::vector<std::string>{"shop/a ingress[0]", "shop/b ingress[1]"}));
    QVERIFY(!v.egress.isolated);
    QVERIFY(v.egress.allowedBy.empty());
}

void tst_Evaluator::ingressCandidates_data()
{
    QTest::addColumn<QString>("policies");
    QTest::addColumn<QString>("destination");
    QTest::addColumn<QStringList>("expected"); // workload ids, sorted
    const QStringList everyone = {"dev/tester", "ext/backup", "ops/monitor",  "shop/cart",
                                  "shop/db",    "shop/dns",   "shop/frontend"};
    QTest::newRow("no policy") << QString() << "shop/db" << everyone;
    QTest::newRow("pod selector: own namespace")
        << np("shop", "p",
              "{podSelector: {matchLabels: {app: db}}, ingress: [{from: [{podSelector: "
              "{matchLabels: {app: cart}}}]}]}")
        << "shop/db" << QStringList{"shop/cart"};
    QTest::newRow("namespace selector")
        << np("shop", "p",
              "{podSelector: {matchLabels: {app: db}}, ingress: [{from: [{namespaceSelector: "
              "{matchLabels: {team: ops}}}]}]}")
        << "shop/db" << QStringList{"ops/monitor"};
    QTest::newRow("both selectors, every namespace")
        << np("shop", "p",
              "{podSelector: {}, ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}, "
              "namespaceSelector: {}}]}]}")
        << "shop/db" << QStringList{"dev/tester", "shop/frontend"};
    QTest::newRow("two policies, rules unite")
        << np("shop", "p",
              "{podSelector: {matchLabels: {app: db}}, ingress: [{from: [{podSelector: "
              "{matchLabels: {app: cart}}}], ports: [{port: 5432}]}]}")
               + np("shop", "q",
                    "{podSelector: {matchLabels: {tier: data}}, ingress: [{from: "
                    "[{namespaceSelector: {matchLabels: {team: ops}}}]}]}")
        << "shop/db" << QStringList{"ops/monitor", "shop/cart"};
    QTest::newRow("ipBlock: anyone")
        << np("shop", "p", "{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]}")
        << "shop/db" << everyone;
    QTest::newRow("rule without from: anyone")
        << np("shop", "p", "{podSelector: {}, ingress: [{ports: [{port: 5432}]}]}") << "shop/db"
        << everyone;
    QTest::newRow("isolated, no rule")
        << np("shop", "p", "{podSelector: {}, ingress: []}") << "shop/db" << QStringList{};
    QTest::newRow("egress only: not isolated for ingress")
        << np("shop", "p", "{podSelector: {}, policyTypes: [Egress]}") << "shop/db" << everyone;
    QTest::newRow("a Host is never isolated")
        << np("ext", "p", "{podSelector: {}, ingress: []}") << "ext/backup" << everyone;
}

// ingressCandidates: exactly the expected set, and a superset of every source allows() lets in.
void tst_Evaluator::ingressCandidates()
{
    QFETCH(QString, policies);
    QFETCH(QString, destination);
    QFETCH(QStringList, expected);
    const Inventory inv = cluster();
    std::vector<NetworkPolicy> list;
    if (!policies.isEmpty()) {
        auto loaded = loadPoliciesText(policies.toStdString(), "p.yaml");
        QVERIFY(loaded.has_value());
        list = std::move(*loaded);
    }
    const PolicyEvaluator evaluator(inv, list);
    const Peer to = peerFor(inv, destination);
    const std::vector<uint64_t> bits = evaluator.ingressCandidates(to.index);
    QCOMPARE(bits.size(), (inv.workloads.size() + 63) / 64);
    QStringList got;
    for (size_t w = 0; w < inv.workloads.size(); ++w) {
        const bool candidate = (bits[w / 64] >> (w % 64)) & 1;
        if (candidate)
            got << QString::fromStdString(inv.workloads[w].id());
        for (const uint16_t port : {uint16_t(22), uint16_t(5432), uint16_t(7070)}) {
            if (evaluator.allows(Peer::workload(int(w)), to, Protocol::TCP, port))
                QVERIFY2(candidate, qPrintable(QString::fromStdString(inv.workloads[w].id())));
        }
    }
    got.sort();
    QCOMPARE(got, expected);
}

void tst_Evaluator::onlineBoutique()
{
    const std::filesystem::path folder
        = std::filesystem::path(BULKHEAD_SHARED_DIR) / "apps/online-boutique/network-policies";
    if (!std::filesystem::is_directory(folder))
        QSKIP("the Online Boutique policies are not in BULKHEAD_SHARED_DIR");
    std::vector<std::string> paths;
    for (const auto &entry : std::filesystem::directory_iterator(folder)) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with("network-policy-"))
            paths.push_back(entry.path().string());
    }
    const auto loaded = loadPolicyFiles(paths);
    QVERIFY_OK(loaded);

    Inventory inv;
    int octet = 10;
    for (const char *app : {"cartservice", "checkoutservice", "frontend", "loadgenerator",
                            "paymentservice", "redis-cart"}) {
        const std::string address = "10.244.0." + std::to_string(octet++);
        Workload w
            = makeWorkload("default", app, {{"app", app}}, {{address.c_str(), "192.168.0.1"}}, {});
        inv.workloads.push_back(std::move(w));
    }
    const PolicyEvaluator evaluator(inv, *loaded);
    const auto w
        = [&](const char *name) { return Peer::workload(inv.findWorkload("default", name)); };
    QVERIFY(evaluator.allows(w("frontend"), w("cartservice"), Protocol::TCP, 7070));
    QVERIFY(evaluator.allows(w("checkoutservice"), w("cartservice"), Protocol::TCP, 7070));
    QVERIFY(!evaluator.allows(w("frontend"), w("cartservice"), Protocol::TCP, 7071));
    QVERIFY(!evaluator.allows(w("loadgenerator"), w("cartservice"), Protocol::TCP, 7070));
    QVERIFY(evaluator.allows(w("cartservice"), w("redis-cart"), Protocol::TCP, 6379));
    QVERIFY(!evaluator.allows(w("frontend"), w("redis-cart"), Protocol::TCP, 6379));
    QVERIFY(!evaluator.allows(w("frontend"), w("paymentservice"), Protocol::TCP, 50051));
    QVERIFY(evaluator.allows(w("checkoutservice"), w("paymentservice"), Protocol::TCP, 50051));
    QVERIFY(evaluator.allows(w("loadgenerator"), w("frontend"), Protocol::TCP, 8080));
    QVERIFY(evaluator.allows(w("cartservice"),
                             Peer{PeerKind::External, -1, *IpAddress::parse("8.8.8.8")},
                             Protocol::TCP, 443));
    const Verdict v = evaluator.evaluate(w("loadgenerator"), w("cartservice"), Protocol::TCP, 7070);
    QCOMPARE(v.ingress.isolatedBy,
             (std::vector<std::string>{"default/cartservice", "default/deny-all"}));
    QCOMPARE(QString::fromStdString(v.reason),
             QStringLiteral("default/cartservice isolated for ingress by default/cartservice, "
                            "default/deny-all; no rule allows it"));
}

QTEST_GUILESS_MAIN(tst_Evaluator)
#include "tst_evaluator.moc"
