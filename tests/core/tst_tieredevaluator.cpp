// QtTest first: Qt 6.4's moc cannot parse <concepts> when <compare> is the first standard header
// it meets (through analysis/peer.h).
#include <QtTest>

#include "evaluatortables.h"
#include "review/tieredevaluator.h"
#include "testsupport.h"

#include "policy/policyloader.h"

using namespace bulkhead;
using bulkhead::testing::makeWorkload;
using bulkhead::testing::peerOf;

// The tiers of docs/guardrails.md, row by row: every action in every tier, Pass, priorities and
// their ties, rule order, ports by number / range / name, namespace and pod subjects and peers,
// the default zone selected by the label's absence, networks, nodes, host-network pods.

namespace {

// kube-system/agent runs on the host network (its pod address is its node's).
Inventory cluster()
{
    Inventory inv;
    inv.workloads.push_back(makeWorkload("kube-system", "agent", {{"app", "agent"}},
                                         {{"192.168.0.2", "192.168.0.2"}},
                                         {{"metrics", 10250, Protocol::TCP}}));
    inv.workloads.push_back(makeWorkload("ops", "monitor",
                                         {{"app", "monitor"}, {"zone", "internal"}},
                                         {{"10.0.2.10", "192.168.0.2"}}, {}));
    inv.workloads.push_back(
        makeWorkload("shop", "cart", {{"app", "cart"}}, {{"10.0.1.20", "192.168.0.1"}},
                     {{"grpc", 7070, Protocol::TCP}, {"metrics", 9090, Protocol::TCP}}));
    inv.workloads.push_back(makeWorkload(
        "shop", "db", {{"app", "db"}, {"zone", "restricted"}}, {{"10.0.1.30", "192.168.0.2"}},
        {{"pg", 5432, Protocol::TCP}, {"mdns", 5353, Protocol::UDP}}));
    inv.workloads.push_back(
        makeWorkload("shop", "frontend", {{"app", "frontend"}, {"zone", "public"}},
                     {{"10.0.1.10", "192.168.0.1"}}, {{"http", 8080, Protocol::TCP}}));
    inv.namespaces["shop"] = {{"env", "prod"}};
    inv.namespaces["ops"] = {{"team", "ops"}};
    inv.namespaces["kube-system"] = {};
    inv.nodes.push_back(Node{"n1", {*IpAddress::parse("192.168.0.1")}});
    inv.nodes.push_back(Node{"n2", {*IpAddress::parse("192.168.0.2")}});
    return inv;
}

// A v1alpha2 ClusterNetworkPolicy in flow style; `rules` is "ingress: [...]" and/or "egress:
// [...]".
QString cnp(const QString &name, const QString &tier, int priority, const QString &subject,
            const QString &rules)
{
    return QStringLiteral(
               "---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\n"
               "metadata: {name: %1}\nspec: {tier: %2, priority: %3, subject: %4, %5}\n")
        .arg(name, tier, QString::number(priority), subject, rules);
}

QString anp(const QString &name, int priority, const QString &subject, const QString &rules)
{
    return QStringLiteral(
               "---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\n"
               "metadata: {name: %1}\nspec: {priority: %2, subject: %3, %4}\n")
        .arg(name, QString::number(priority), subject, rules);
}

QString banp(const QString &subject, const QString &rules)
{
    return QStringLiteral("---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: "
                          "BaselineAdminNetworkPolicy\n"
                          "metadata: {name: default}\nspec: {subject: %1, %2}\n")
        .arg(subject, rules);
}

QString np(const QString &ns, const QString &name, const QString &spec)
{
    return QStringLiteral("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                          "metadata: {name: %1, namespace: %2}\nspec: %3\n")
        .arg(name, ns, spec);
}

const QString kAll = QStringLiteral("{namespaces: {}}");
const QString kCart
    = QStringLiteral("{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: cart}}}}");
const QString kFrontend = QStringLiteral("{pods: {podSelector: {matchLabels: {app: frontend}}}}");
const QString kDenyAllIn
    = QStringLiteral("ingress: [{name: deny-all, action: Deny, from: [{namespaces: {}}]}]");
const QString kDenyAllOut
    = QStringLiteral("egress: [{name: deny-all, action: Deny, to: [{namespaces: {}}]}]");
const QString kShopDefaultDeny
    = np("shop", "default-deny", "{podSelector: {}, policyTypes: [Ingress, Egress]}");

} // namespace

class TestTieredEvaluator : public QObject
{
    Q_OBJECT

private slots:
    void table_data();
    void table();
    void explainStepsInOrder();
    void subjectsForTheGui();
};

void TestTieredEvaluator::table_data()
{
    QTest::addColumn<QString>("policies");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<QString>("tier");
    QTest::addColumn<QString>("policy"); // the deciding policy's id, empty for the default
    QTest::addColumn<bool>("tie");

    const QString denyCart = cnp("deny", "Admin", 10, kCart, kDenyAllIn);
    // Every action in every tier.
    QTest::newRow("no policy: default allow") << QString() << "shop/frontend"
                                              << "shop/cart"
                                              << "TCP" << 7070 << true << "default"
                                              << "" << false;
    QTest::newRow("admin deny") << denyCart << "shop/frontend"
                                << "shop/cart"
                                << "TCP" << 7070 << false << "Admin"
                                << "ClusterNetworkPolicy/deny" << false;
    QTest::newRow("admin deny beats an allowing NetworkPolicy")
        << denyCart + np("shop", "allow-all", "{podSelector: {}, ingress: [{}]}") << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "Admin"
        << "ClusterNetworkPolicy/deny" << false;
    QTest::newRow("admin accept beats a NetworkPolicy deny")
        << cnp("accept", "Admin", 10, kCart,
               "ingress: [{action: Accept, from: [" + kFrontend + "]}]")
               + np("shop", "deny-in", "{podSelector: {}}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << "Admin"
        << "ClusterNetworkPolicy/accept" << false;
    QTest::newRow("admin pass, NetworkPolicy denies")
        << cnp("pass", "Admin", 10, kCart, "ingress: [{action: Pass, from: [{namespaces: {}}]}]")
               + np("shop", "deny-in", "{podSelector: {}}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "NetworkPolicy"
        << "shop/deny-in" << false;
    QTest::newRow("admin pass, NetworkPolicy allows")
        << cnp("pass", "Admin", 10, kCart, "ingress: [{action: Pass, from: [{namespaces: {}}]}]")
               + np("shop", "allow", "{podSelector: {}, ingress: [{}]}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << "NetworkPolicy"
        << "shop/allow" << false;
    QTest::newRow("admin pass skips later admin deny, baseline denies")
        << cnp("a-pass", "Admin", 10, kCart, "ingress: [{action: Pass, from: [{namespaces: {}}]}]")
               + cnp("b-deny", "Admin", 20, kCart, kDenyAllIn)
               + cnp("base", "Baseline", 10, kCart, kDenyAllIn)
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "Baseline"
        << "ClusterNetworkPolicy/base" << false;
    QTest::newRow("admin pass, no NetworkPolicy, no baseline: default")
        << cnp("pass", "Admin", 10, kCart, "ingress: [{action: Pass, from: [{namespaces: {}}]}]")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << "default"
        << "" << false;
    QTest::newRow("baseline deny")
        << cnp("base", "Baseline", 10, kCart, kDenyAllIn) << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "Baseline"
        << "ClusterNetworkPolicy/base" << false;
    QTest::newRow("baseline accept") << cnp("base", "Baseline", 10, kCart,
                                            "ingress: [{action: Accept, from: [{namespaces: {}}]}]")
                                     << "shop/frontend"
                                     << "shop/cart"
                                     << "TCP" << 7070 << true << "Baseline"
                                     << "ClusterNetworkPolicy/base" << false;
    QTest::newRow("NetworkPolicy allowing beats baseline deny")
        << cnp("base", "Baseline", 10, kCart, kDenyAllIn)
               + np("shop", "allow",
                    "{podSelector: {matchLabels: {app: cart}}, ingress: [{from: [{podSelector: "
                    "{matchLabels: {app: frontend}}}]}]}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << "NetworkPolicy"
        << "shop/allow" << false;
    QTest::newRow("NetworkPolicy isolating beats baseline accept")
        << cnp("base", "Baseline", 10, kCart,
               "ingress: [{action: Accept, from: [{namespaces: {}}]}]")
               + np("shop", "deny-in", "{podSelector: {}}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "NetworkPolicy"
        << "shop/deny-in" << false;
    QTest::newRow("baseline does not apply to the other direction")
        << cnp("base", "Baseline", 10, kCart, kDenyAllIn) << "shop/cart"
        << "shop/frontend"
        << "TCP" << 8080 << true << "default"
        << "" << false;

    // Priorities, ties, rule order.
    QTest::newRow("lower priority number first: accept 10 over deny 20")
        << cnp("accept", "Admin", 10, kCart,
               "ingress: [{action: Accept, from: [{namespaces: {}}]}]")
               + cnp("deny", "Admin", 20, kCart, kDenyAllIn)
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << "Admin"
        << "ClusterNetworkPolicy/accept" << false;
    QTest::newRow("lower priority number first: deny 10 over accept 20")
        << cnp("accept", "Admin", 20, kCart,
               "ingress: [{action: Accept, from: [{namespaces: {}}]}]")
               + cnp("deny", "Admin", 10, kCart, kDenyAllIn)
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "Admin"
        << "ClusterNetworkPolicy/deny" << false;
    QTest::newRow("tie: same priority, name order, reported")
        << cnp("b-deny", "Admin", 10, kCart, kDenyAllIn)
               + cnp("a-accept", "Admin", 10, kCart,
                     "ingress: [{action: Accept, from: [{namespaces: {}}]}]")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << "Admin"
        << "ClusterNetworkPolicy/a-accept" << true;
    QTest::newRow("tie with the same action is no tie")
        << cnp("b-deny", "Admin", 10, kCart, kDenyAllIn)
               + cnp("a-deny", "Admin", 10, kCart, kDenyAllIn)
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "Admin"
        << "ClusterNetworkPolicy/a-deny" << false;
    QTest::newRow("rule order: accept before deny")
        << cnp("p", "Admin", 10, kCart,
               "ingress: [{action: Accept, from: [" + kFrontend
                   + "]}, {action: Deny, from: [{namespaces: {}}]}]")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << "Admin"
        << "ClusterNetworkPolicy/p" << false;
    QTest::newRow("rule order: deny before accept")
        << cnp("p", "Admin", 10, kCart,
               "ingress: [{action: Deny, from: [{namespaces: {}}]}, {action: Accept, from: ["
                   + kFrontend + "]}]")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "Admin"
        << "ClusterNetworkPolicy/p" << false;
    QTest::newRow("admin baseline order is by tier, not priority")
        << cnp("base", "Baseline", 1, kCart,
               "ingress: [{action: Accept, from: [{namespaces: {}}]}]")
               + cnp("admin", "Admin", 999, kCart, kDenyAllIn)
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "Admin"
        << "ClusterNetworkPolicy/admin" << false;

    // Egress side.
    QTest::newRow("egress deny on the source") << cnp(
        "out", "Admin", 10, "{pods: {podSelector: {matchLabels: {app: frontend}}}}", kDenyAllOut)
                                               << "shop/frontend"
                                               << "shop/cart"
                                               << "TCP" << 7070 << false << "Admin"
                                               << "ClusterNetworkPolicy/out" << false;
    QTest::newRow("egress accept does not open the destination's ingress")
        << cnp("out", "Admin", 10, "{pods: {podSelector: {matchLabels: {app: frontend}}}}",
               "egress: [{action: Accept, to: [{namespaces: {}}]}]")
               + kShopDefaultDeny
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "NetworkPolicy"
        << "shop/default-deny" << false;
    QTest::newRow("admin egress deny beats NetworkPolicy egress allow")
        << cnp("out", "Admin", 10, kAll, kDenyAllOut)
               + np("shop", "out", "{podSelector: {}, policyTypes: [Egress], egress: [{}]}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "Admin"
        << "ClusterNetworkPolicy/out" << false;

    // Ports.
    const auto denyPorts = [](const QString &protocols) {
        return cnp("ports", "Admin", 10, kCart,
                   "ingress: [{action: Deny, from: [{namespaces: {}}], protocols: [" + protocols
                       + "]}]");
    };
    QTest::newRow("port number matches")
        << denyPorts("{tcp: {destinationPort: {number: 7070}}}") << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "Admin"
        << "ClusterNetworkPolicy/ports" << false;
    QTest::newRow("port number other port")
        << denyPorts("{tcp: {destinationPort: {number: 7070}}}") << "shop/frontend"
        << "shop/cart"
        << "TCP" << 9090 << true << "default"
        << "" << false;
    QTest::newRow("port range inside")
        << denyPorts("{tcp: {destinationPort: {range: {start: 7000, end: 7100}}}}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "Admin"
        << "ClusterNetworkPolicy/ports" << false;
    QTest::newRow("port range ends inclusive")
        << denyPorts("{tcp: {destinationPort: {range: {start: 7000, end: 7070}}}}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "Admin"
        << "ClusterNetworkPolicy/ports" << false;
    QTest::newRow("port range outside")
        << denyPorts("{tcp: {destinationPort: {range: {start: 7000, end: 7069}}}}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << "default"
        << "" << false;
    QTest::newRow("protocol differs")
        << denyPorts("{udp: {destinationPort: {number: 7070}}}") << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << "default"
        << "" << false;
    QTest::newRow("named port matches")
        << denyPorts("{destinationNamedPort: grpc}") << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "Admin"
        << "ClusterNetworkPolicy/ports" << false;
    QTest::newRow("named port, other port")
        << denyPorts("{destinationNamedPort: grpc}") << "shop/frontend"
        << "shop/cart"
        << "TCP" << 9090 << true << "default"
        << "" << false;
    QTest::newRow("named port of another protocol")
        << cnp("ports", "Admin", 10, "{pods: {podSelector: {matchLabels: {app: db}}}}",
               "ingress: [{action: Deny, from: [{namespaces: {}}], protocols: "
               "[{destinationNamedPort: mdns}]}]")
        << "shop/frontend"
        << "shop/db"
        << "TCP" << 5353 << true << "default"
        << "" << false;
    QTest::newRow("named port never matches an external")
        << cnp("out", "Admin", 10, kAll,
               "egress: [{action: Deny, to: [{networks: [0.0.0.0/0]}], protocols: "
               "[{destinationNamedPort: grpc}]}]")
        << "shop/frontend"
        << "203.0.113.7"
        << "TCP" << 7070 << true << "default"
        << "" << false;

    // v1alpha1 kinds.
    QTest::newRow("v1alpha1 ANP deny with portNumber")
        << anp("anp", 5, kCart,
               "ingress: [{action: Deny, from: [{namespaces: {}}], ports: [{portNumber: {protocol: "
               "TCP, port: 7070}}]}]")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "Admin"
        << "AdminNetworkPolicy/anp" << false;
    QTest::newRow("v1alpha1 ANP portRange")
        << anp("anp", 5, kCart,
               "ingress: [{action: Deny, from: [{namespaces: {}}], ports: [{portRange: {protocol: "
               "TCP, start: 9000, end: 9100}}]}]")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 9090 << false << "Admin"
        << "AdminNetworkPolicy/anp" << false;
    QTest::newRow("v1alpha1 ANP Allow beats NetworkPolicy")
        << anp("anp", 5, kCart, "ingress: [{action: Allow, from: [{namespaces: {}}]}]")
               + np("shop", "deny-in", "{podSelector: {}}")
        << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << "Admin"
        << "AdminNetworkPolicy/anp" << false;
    QTest::newRow("v1alpha1 BANP deny")
        << banp(kCart, "ingress: [{action: Deny, from: [{namespaces: {}}]}]") << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "Baseline"
        << "BaselineAdminNetworkPolicy/default" << false;

    // Subjects and peers.
    const QString opsSubject = QStringLiteral("{namespaces: {matchLabels: {team: ops}}}");
    QTest::newRow("namespaces subject selects")
        << cnp("ops", "Admin", 10, opsSubject, kDenyAllIn) << "shop/frontend"
        << "ops/monitor"
        << "TCP" << 80 << false << "Admin"
        << "ClusterNetworkPolicy/ops" << false;
    QTest::newRow("namespaces subject leaves others")
        << cnp("ops", "Admin", 10, opsSubject, kDenyAllIn) << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << "default"
        << "" << false;
    const QString dbSubject = QStringLiteral("{pods: {namespaceSelector: {matchLabels: {env: "
                                             "prod}}, podSelector: {matchLabels: {app: db}}}}");
    QTest::newRow("pods subject selects")
        << cnp("db", "Admin", 10, dbSubject, kDenyAllIn) << "shop/frontend"
        << "shop/db"
        << "TCP" << 5432 << false << "Admin"
        << "ClusterNetworkPolicy/db" << false;
    QTest::newRow("pods subject leaves others")
        << cnp("db", "Admin", 10, dbSubject, kDenyAllIn) << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << "default"
        << "" << false;
    const QString fromOps = QStringLiteral(
        "ingress: [{action: Deny, from: [{namespaces: {matchLabels: {team: ops}}}]}]");
    QTest::newRow("namespaces peer matches")
        << cnp("p", "Admin", 10, kCart, fromOps) << "ops/monitor"
        << "shop/cart"
        << "TCP" << 7070 << false << "Admin"
        << "ClusterNetworkPolicy/p" << false;
    QTest::newRow("namespaces peer does not match")
        << cnp("p", "Admin", 10, kCart, fromOps) << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << true << "default"
        << "" << false;
    QTest::newRow("pods peer without namespaceSelector: every namespace")
        << cnp("p", "Admin", 10, kCart,
               "ingress: [{action: Deny, from: [{pods: {podSelector: {matchLabels: {app: "
               "monitor}}}}]}]")
        << "ops/monitor"
        << "shop/cart"
        << "TCP" << 7070 << false << "Admin"
        << "ClusterNetworkPolicy/p" << false;
    const QString defaultZone
        = QStringLiteral("{pods: {namespaceSelector: {}, podSelector: {matchExpressions: [{key: "
                         "zone, operator: NotIn, values: [public, restricted]}]}}}");
    QTest::newRow("default zone selected by the label's absence")
        << cnp("z", "Admin", 10, defaultZone, kDenyAllIn) << "shop/frontend"
        << "shop/cart"
        << "TCP" << 7070 << false << "Admin"
        << "ClusterNetworkPolicy/z" << false;
    QTest::newRow("default zone selected by its value")
        << cnp("z", "Admin", 10, defaultZone, kDenyAllIn) << "shop/frontend"
        << "ops/monitor"
        << "TCP" << 80 << false << "Admin"
        << "ClusterNetworkPolicy/z" << false;
    QTest::newRow("default zone selector leaves other zones")
        << cnp("z", "Admin", 10, defaultZone, kDenyAllIn) << "shop/frontend"
        << "shop/db"
        << "TCP" << 5432 << true << "default"
        << "" << false;

    // Host network, networks, nodes, own node.
    QTest::newRow("host-network pod is not a namespaces peer")
        << cnp("deny", "Admin", 10, kAll, kDenyAllIn) << "kube-system/agent"
        << "shop/cart"
        << "TCP" << 7070 << true << "default"
        << "" << false;
    QTest::newRow("host-network pod is not subject")
        << cnp("deny", "Admin", 10, kAll, kDenyAllIn) << "shop/cart"
        << "kube-system/agent"
        << "TCP" << 10250 << true << "default"
        << "" << false;
    QTest::newRow("networks peer matches an external") << cnp(
        "out", "Admin", 10, kAll, "egress: [{action: Deny, to: [{networks: [203.0.113.0/24]}]}]")
                                                       << "shop/frontend"
                                                       << "203.0.113.7"
                                                       << "TCP" << 443 << false << "Admin"
                                                       << "ClusterNetworkPolicy/out" << false;
    QTest::newRow("networks peer matches pod addresses") << cnp(
        "out", "Admin", 10, kAll, "egress: [{action: Deny, to: [{networks: [10.0.1.0/24]}]}]")
                                                         << "shop/frontend"
                                                         << "shop/cart"
                                                         << "TCP" << 7070 << false << "Admin"
                                                         << "ClusterNetworkPolicy/out" << false;
    QTest::newRow("networks peer elsewhere") << cnp(
        "out", "Admin", 10, kAll, "egress: [{action: Deny, to: [{networks: [10.9.0.0/16]}]}]")
                                             << "shop/frontend"
                                             << "shop/cart"
                                             << "TCP" << 7070 << true << "default"
                                             << "" << false;
    QTest::newRow("nodes peer matches a node")
        << anp("nodes", 10, kAll, "egress: [{action: Deny, to: [{nodes: {}}]}]") << "shop/frontend"
        << "192.168.0.2"
        << "TCP" << 10250 << false << "Admin"
        << "AdminNetworkPolicy/nodes" << false;
    QTest::newRow("own node always allowed")
        << anp("nodes", 10, kAll, "egress: [{action: Deny, to: [{nodes: {}}]}]") << "shop/frontend"
        << "192.168.0.1"
        << "TCP" << 10250 << true << "default"
        << "" << false;
}

void TestTieredEvaluator::table()
{
    QFETCH(QString, policies);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, protocol);
    QFETCH(int, port);
    QFETCH(bool, allowed);
    QFETCH(QString, tier);
    QFETCH(QString, policy);
    QFETCH(bool, tie);

    const Inventory inv = cluster();
    std::vector<std::string> warnings;
    auto set = loadPolicySetText(policies.toStdString(), "table.yaml", &warnings);
    QVERIFY_OK(set);
    const TieredEvaluator evaluator(inv, set->networkPolicies, set->clusterPolicies);
    const Peer src = peerOf(inv, from), dst = peerOf(inv, to);
    const Protocol p = *parseProtocol(protocol.toStdString());
    const TieredVerdict v = evaluator.evaluate(src, dst, p, static_cast<uint16_t>(port));
    QVERIFY2(v.allowed == allowed, v.reason.c_str());
    QCOMPARE(evaluator.allows(src, dst, p, static_cast<uint16_t>(port)), allowed);
    QCOMPARE(QString::fromStdString(std::string(verdictTierName(v.tier))), tier);
    QCOMPARE(QString::fromStdString(v.policy), policy);
    QCOMPARE(v.priorityTie, tie);
    // The reason names the tier and, when one decided, the policy.
    if (tier != QLatin1String("default") && !v.ownNode) {
        QVERIFY2(QString::fromStdString(v.reason).contains(tier + " tier"), v.reason.c_str());
        QVERIFY2(QString::fromStdString(v.reason).contains(policy), v.reason.c_str());
    }
}

void TestTieredEvaluator::explainStepsInOrder()
{
    const Inventory inv = cluster();
    const QString text
        = cnp("b-pass", "Admin", 20, kCart,
              "ingress: [{name: pass-all, action: Pass, from: [{namespaces: {}}]}]")
          + cnp("a-other", "Admin", 10, kCart,
                "ingress: [{action: Deny, from: [{namespaces: {matchLabels: {team: ops}}}]}]")
          + cnp("c-deny", "Admin", 30, kCart, kDenyAllIn) + kShopDefaultDeny
          + cnp("base", "Baseline", 10, kCart, kDenyAllIn);
    auto set = loadPolicySetText(text.toStdString(), "explain.yaml");
    QVERIFY(set.has_value());
    const TieredEvaluator evaluator(inv, set->networkPolicies, set->clusterPolicies);
    const TieredVerdict v = evaluator.evaluate(peerOf(inv, "shop/frontend"),
                                               peerOf(inv, "shop/cart"), Protocol::TCP, 7070);
    QVERIFY(!v.allowed);
    QCOMPARE(v.tier, VerdictTier::NetworkPolicy);
    std::vector<std::string> ingress;
    for (const TierStep &step : v.steps) {
        if (step.direction == PolicyDirection::Ingress)
            ingress.push_back(std::string(verdictTierName(step.tier)) + ' ' + step.policy + ": "
                              + step.outcome + (step.decided ? " *" : ""));
    }
    // a-other (10) does not match, b-pass (20) passes: c-deny (30) and the Baseline tier are never
    // consulted.
    const std::vector<std::string> expected = {
        "Admin ClusterNetworkPolicy/a-other: no ingress rule matches",
        "Admin ClusterNetworkPolicy/b-pass: ingress[0] \"pass-all\": Pass",
        "NetworkPolicy shop/default-deny: selects shop/cart; no rule allows it *",
    };
    QCOMPARE(ingress, expected);
}

void TestTieredEvaluator::subjectsForTheGui()
{
    const Inventory inv = cluster();
    auto set = loadPolicySetText(
        (cnp("deny", "Admin", 10, kAll, kDenyAllIn)
         + cnp("db", "Baseline", 10, "{pods: {podSelector: {matchLabels: {app: db}}}}", kDenyAllIn))
            .toStdString(),
        "gui.yaml");
    QVERIFY(set.has_value());
    const TieredEvaluator evaluator(inv, set->networkPolicies, set->clusterPolicies);
    QCOMPARE(evaluator.clusterPolicies().size(), size_t(2));
    QCOMPARE(evaluator.clusterPolicies()[0].id(),
             std::string("ClusterNetworkPolicy/deny")); // Admin first
    const IndexList all = evaluator.subjectWorkloads(0);
    // Every pod but the host-network agent (index 0).
    QCOMPARE(std::vector<int>(all.begin(), all.end()), (std::vector<int>{1, 2, 3, 4}));
    const IndexList db = evaluator.subjectWorkloads(1);
    QCOMPARE(std::vector<int>(db.begin(), db.end()), (std::vector<int>{3}));
    QVERIFY(!evaluator.isSubjectPod(0));
}

QTEST_GUILESS_MAIN(TestTieredEvaluator)
#include "tst_tieredevaluator.moc"
