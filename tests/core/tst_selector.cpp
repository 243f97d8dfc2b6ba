#include "policy/selector.h"

#include <QtTest>

using namespace bulkhead;

namespace {

Workload makeWorkload(const std::string &ns, const std::string &name, Labels labels,
                      std::string kind = "Deployment")
{
    Workload w;
    w.ns = ns;
    w.name = name;
    w.kind = std::move(kind);
    w.labels = std::move(labels);
    return w;
}

QString labelsText(const Labels &labels)
{
    QStringList parts;
    for (const auto &[k, v] : labels)
        parts << QString::fromStdString(k + '=' + v);
    return parts.join(QLatin1Char(','));
}

bool selects(const Labels &selector, const Labels &podLabels)
{
    for (const auto &[k, v] : selector) {
        auto it = podLabels.find(k);
        if (it == podLabels.end() || it->second != v)
            return false;
    }
    return true;
}

} // namespace

class TestSelector : public QObject
{
    Q_OBJECT

private slots:
    void keyOrder();
    void forbiddenKeys_data();
    void forbiddenKeys();
    void minimalSelector_data();
    void minimalSelector();
    void versionsOfOneApp();
    void hashLabelsNeverUsed();
    void indistinguishableGrouped();
    void subsetLabelsGroupedAndClosed();
    void noLabelsAlone();
    void noLabelsShared();
    void otherNamespacesIgnored();
    void hostsNotSelected();
    void everySelectorIsExact();
};

void TestSelector::keyOrder()
{
    std::vector<std::string> keys = {"zeta",
                                     "version",
                                     "name",
                                     "alpha",
                                     "k8s-app",
                                     "app",
                                     "app.kubernetes.io/component",
                                     "app.kubernetes.io/instance",
                                     "app.kubernetes.io/name"};
    std::sort(keys.begin(), keys.end(), selectorKeyLess);
    const std::vector<std::string> expected = {"app.kubernetes.io/name",
                                               "app.kubernetes.io/instance",
                                               "app.kubernetes.io/component",
                                               "app",
                                               "k8s-app",
                                               "name",
                                               "version",
                                               "alpha",
                                               "zeta"};
    QCOMPARE(keys, expected);
}

void TestSelector::forbiddenKeys_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("forbidden");
    QTest::newRow("pod-template-hash") << "pod-template-hash" << true;
    QTest::newRow("controller-revision-hash") << "controller-revision-hash" << true;
    QTest::newRow("sts pod-name") << "statefulset.kubernetes.io/pod-name" << true;
    QTest::newRow("batch job-name") << "batch.kubernetes.io/job-name" << true;
    QTest::newRow("batch controller-uid") << "batch.kubernetes.io/controller-uid" << true;
    QTest::newRow("job-name") << "job-name" << true;
    QTest::newRow("controller-uid") << "controller-uid" << true;
    QTest::newRow("app") << "app" << false;
    QTest::newRow("batch.kubernetes.io without slash") << "batch.kubernetes.io" << false;
}

void TestSelector::forbiddenKeys()
{
    QFETCH(QString, key);
    QFETCH(bool, forbidden);
    QCOMPARE(isForbiddenSelectorKey(key.toStdString()), forbidden);
}

// Selector chosen for the FIRST workload among the given ones (all in namespace "shop").
void TestSelector::minimalSelector_data()
{
    QTest::addColumn<QList<QStringList>>("workloads"); // each: "k=v" entries
    QTest::addColumn<QString>("expected");

    QTest::newRow("app alone suffices")
        << QList<QStringList>{{"app=cart", "tier=backend"}, {"app=web", "tier=backend"}}
        << "app=cart";
    QTest::newRow("app.kubernetes.io/name preferred over app")
        << QList<QStringList>{{"app=cart", "app.kubernetes.io/name=cart"},
                              {"app=web", "app.kubernetes.io/name=web"}}
        << "app.kubernetes.io/name=cart";
    QTest::newRow("k8s-app before name before version")
        << QList<QStringList>{{"name=a", "k8s-app=dns", "version=1"},
                              {"name=b", "k8s-app=other", "version=2"}}
        << "k8s-app=dns";
    QTest::newRow("first distinguishing key in priority order")
        << QList<QStringList>{{"app=x", "name=n1", "version=1"}, {"app=x", "name=n2", "version=1"}}
        << "name=n1";
    QTest::newRow("rest alphabetically after version")
        << QList<QStringList>{{"app=x", "zone=a", "color=red"}, {"app=x", "zone=b", "color=blue"}}
        << "color=red";
    QTest::newRow("two keys needed")
        << QList<QStringList>{{"app=x", "tier=a"}, {"app=x", "tier=b"}, {"app=y", "tier=a"}}
        << "app=x,tier=a";
    QTest::newRow("size before priority: one late key beats two early ones")
        << QList<QStringList>{{"app=x", "name=n", "zz=unique"},
                              {"app=x", "name=m", "zz=other"},
                              {"app=y", "name=n", "zz=other"}}
        << "zz=unique";
    QTest::newRow("alone in namespace: first priority label")
        << QList<QStringList>{{"tier=a", "app=solo"}} << "app=solo";
}

void TestSelector::minimalSelector()
{
    QFETCH(QList<QStringList>, workloads);
    QFETCH(QString, expected);
    Inventory inv;
    int n = 0;
    for (const QStringList &entries : workloads) {
        Labels labels;
        for (const QString &e : entries) {
            const auto kv = e.split(QLatin1Char('='));
            labels[kv[0].toStdString()] = kv[1].toStdString();
        }
        inv.workloads.push_back(makeWorkload("shop", "w" + std::to_string(n++), labels));
    }
    const SelectorPlan plan = planSelectors(inv);
    QCOMPARE(labelsText(plan.selectorOf[0]), expected);
    QVERIFY(!plan.isGrouped(0));
    QVERIFY(plan.warnings.empty());
}

void TestSelector::versionsOfOneApp()
{
    Inventory inv;
    inv.workloads.push_back(
        makeWorkload("shop", "reviews-v1",
                     {{"app", "reviews"}, {"version", "v1"}, {"pod-template-hash", "abc"}}));
    inv.workloads.push_back(
        makeWorkload("shop", "reviews-v2",
                     {{"app", "reviews"}, {"version", "v2"}, {"pod-template-hash", "def"}}));
    const SelectorPlan plan = planSelectors(inv);
    QCOMPARE(labelsText(plan.selectorOf[0]), QStringLiteral("version=v1"));
    QCOMPARE(labelsText(plan.selectorOf[1]), QStringLiteral("version=v2"));
    QVERIFY(!selects(plan.selectorOf[0], inv.workloads[1].labels));
    QVERIFY(!selects(plan.selectorOf[1], inv.workloads[0].labels));
    QVERIFY(plan.targetOf[0] != plan.targetOf[1]);
}

void TestSelector::hashLabelsNeverUsed()
{
    // Only the hash labels differ: they must not be used, so the workloads are one target.
    Inventory inv;
    inv.workloads.push_back(makeWorkload(
        "shop", "a",
        {{"app", "x"}, {"pod-template-hash", "111"}, {"controller-revision-hash", "r1"}}));
    inv.workloads.push_back(makeWorkload("shop", "b",
                                         {{"app", "x"},
                                          {"pod-template-hash", "222"},
                                          {"job-name", "j"},
                                          {"batch.kubernetes.io/job-name", "j"},
                                          {"controller-uid", "u"}}));
    const SelectorPlan plan = planSelectors(inv);
    for (const Labels &sel : plan.selectorOf) {
        for (const auto &[k, v] : sel)
            QVERIFY2(!isForbiddenSelectorKey(k), k.c_str());
    }
    QCOMPARE(labelsText(plan.selectorOf[0]), QStringLiteral("app=x"));
    QCOMPARE(plan.targetOf[0], plan.targetOf[1]);
}

void TestSelector::indistinguishableGrouped()
{
    Inventory inv;
    inv.workloads.push_back(makeWorkload("shop", "cart", {{"app", "cart"}}));
    inv.workloads.push_back(makeWorkload("shop", "web", {{"app", "web"}}));
    inv.workloads.push_back(makeWorkload("shop", "web-canary", {{"app", "web"}}));
    const SelectorPlan plan = planSelectors(inv);
    QCOMPARE(plan.targetOf[1], plan.targetOf[2]);
    QVERIFY(plan.targetOf[0] != plan.targetOf[1]);
    QVERIFY(plan.isGrouped(1));
    QVERIFY(!plan.isGrouped(0));
    QCOMPARE(labelsText(plan.selectorOf[1]), QStringLiteral("app=web"));
    QCOMPARE(labelsText(plan.selectorOf[2]), QStringLiteral("app=web"));
    QCOMPARE(plan.targets[static_cast<size_t>(plan.targetOf[1])], (std::vector<int>{1, 2}));
    QCOMPARE(plan.warnings.size(), size_t(1));
    QVERIFY(plan.warnings[0].find("shop/web, shop/web-canary") != std::string::npos);
    QVERIFY(plan.warnings[0].find("one policy target") != std::string::npos);
}

void TestSelector::subsetLabelsGroupedAndClosed()
{
    // a's labels are a subset of b's: any selector of a selects b. c shares only app=x with the
    // group, so the group's selector (app=x, tier=1) must not select c, and c stays alone.
    Inventory inv;
    inv.workloads.push_back(makeWorkload("shop", "a", {{"app", "x"}, {"tier", "1"}}));
    inv.workloads.push_back(
        makeWorkload("shop", "b", {{"app", "x"}, {"tier", "1"}, {"version", "2"}}));
    inv.workloads.push_back(makeWorkload("shop", "c", {{"app", "x"}, {"tier", "3"}}));
    const SelectorPlan plan = planSelectors(inv);
    QCOMPARE(plan.targetOf[0], plan.targetOf[1]);
    QVERIFY(plan.targetOf[2] != plan.targetOf[0]);
    QCOMPARE(labelsText(plan.selectorOf[0]), QStringLiteral("tier=1"));
    QVERIFY(!selects(plan.selectorOf[0], inv.workloads[2].labels));
    QCOMPARE(labelsText(plan.selectorOf[2]), QStringLiteral("tier=3"));
}

void TestSelector::noLabelsAlone()
{
    Inventory inv;
    inv.workloads.push_back(makeWorkload("solo", "lonely", {{"pod-template-hash", "abc"}}));
    inv.workloads.push_back(makeWorkload("shop", "cart", {{"app", "cart"}}));
    const SelectorPlan plan = planSelectors(inv);
    QVERIFY(plan.selectorOf[0].empty()); // {} = whole namespace "solo" = exactly this workload
    QVERIFY(!plan.isGrouped(0));
    QCOMPARE(plan.warnings.size(), size_t(1));
    QVERIFY(plan.warnings[0].find("solo/lonely has no usable pod label") != std::string::npos);
}

void TestSelector::noLabelsShared()
{
    // A workload without labels cannot be told apart from anything in its namespace.
    Inventory inv;
    inv.workloads.push_back(makeWorkload("shop", "bare", {}, "Pod"));
    inv.workloads.push_back(makeWorkload("shop", "cart", {{"app", "cart"}}));
    inv.workloads.push_back(makeWorkload("shop", "web", {{"app", "web"}}));
    const SelectorPlan plan = planSelectors(inv);
    QCOMPARE(plan.targetOf[0], plan.targetOf[1]);
    QCOMPARE(plan.targetOf[0], plan.targetOf[2]);
    QVERIFY(plan.selectorOf[0].empty());
    QCOMPARE(plan.warnings.size(), size_t(1));
    QVERIFY(plan.warnings[0].find("shop/bare, shop/cart, shop/web") != std::string::npos);
}

void TestSelector::otherNamespacesIgnored()
{
    Inventory inv;
    inv.workloads.push_back(makeWorkload("a", "web", {{"app", "web"}}));
    inv.workloads.push_back(makeWorkload("b", "web", {{"app", "web"}}));
    const SelectorPlan plan = planSelectors(inv);
    QVERIFY(plan.targetOf[0] != plan.targetOf[1]);
    QCOMPARE(labelsText(plan.selectorOf[0]), QStringLiteral("app=web"));
    QVERIFY(plan.warnings.empty());
}

void TestSelector::hostsNotSelected()
{
    Inventory inv;
    inv.workloads.push_back(makeWorkload("shop", "legacy-db", {{"app", "web"}}, "Host"));
    inv.workloads.push_back(makeWorkload("shop", "web", {{"app", "web"}}));
    const SelectorPlan plan = planSelectors(inv);
    QCOMPARE(plan.targetOf[0], -1);
    QVERIFY(!plan.isGrouped(1));
    QCOMPARE(labelsText(plan.selectorOf[1]), QStringLiteral("app=web"));
}

void TestSelector::everySelectorIsExact()
{
    // A larger namespace: every selector selects its target's members and nothing else.
    Inventory inv;
    const char *apps[] = {"web", "cart", "db"};
    const char *tiers[] = {"front", "back"};
    const char *versions[] = {"1", "2", "3"};
    for (const char *app : apps)
        for (const char *tier : tiers)
            for (const char *version : versions)
                inv.workloads.push_back(
                    makeWorkload("shop", std::string(app) + '-' + tier + '-' + version,
                                 {{"app", app}, {"tier", tier}, {"version", version}}));
    const SelectorPlan plan = planSelectors(inv);
    QVERIFY(plan.warnings.empty());
    for (size_t i = 0; i < inv.workloads.size(); ++i) {
        QCOMPARE(plan.selectorOf[i].size(), size_t(3)); // all three labels are needed
        for (size_t j = 0; j < inv.workloads.size(); ++j)
            QCOMPARE(selects(plan.selectorOf[i], inv.workloads[j].labels), i == j);
    }
}

QTEST_GUILESS_MAIN(TestSelector)
#include "tst_selector.moc"
