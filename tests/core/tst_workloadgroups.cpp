// Groups in a big namespace (core/graph/workloadgroups.h): by part-of label, by the stem of the
// name label, by the stem of the name, and name ranges when that leaves too many groups or a
// group too big; known titles and sizes on small inventories with a lowered limit.
#include "graph/workloadgroups.h"
#include "inventory/inventory.h"

#include <QtTest>

#include <numeric>

using namespace bulkhead;

namespace {

Workload workload(const std::string &name, Labels labels = {})
{
    Workload w;
    w.ns = "shop";
    w.name = name;
    w.kind = "Deployment";
    w.labels = std::move(labels);
    return w;
}

std::vector<int> all(const Inventory &inventory)
{
    std::vector<int> out(inventory.workloads.size());
    std::iota(out.begin(), out.end(), 0);
    return out;
}

// "title:size" per group, in order.
QStringList summary(const std::vector<WorkloadGroup> &groups)
{
    QStringList out;
    for (const WorkloadGroup &group : groups)
        out << QString::fromStdString(group.title) + ':' + QString::number(group.workloads.size());
    return out;
}

// 12 workloads: 4 part of "shop", 3 named "cart-api" by label, 2 "redis-…" by app label, 3
// without labels ("worker-1", "worker-2", "batch7").
Inventory mixed()
{
    Inventory inventory;
    for (const char *name : {"web", "api", "front-7d9f", "checkout"})
        inventory.workloads.push_back(
            workload(name, {{"app.kubernetes.io/part-of", "shop"}, {"app", name}}));
    for (const char *name : {"cart-a", "cart-b", "cart-c"})
        inventory.workloads.push_back(workload(name, {{"app.kubernetes.io/name", "cart-api"}}));
    inventory.workloads.push_back(workload("redis-0", {{"app", "redis-master"}}));
    inventory.workloads.push_back(workload("redis-1", {{"app", "redis-replica"}}));
    for (const char *name : {"worker-1", "worker-2", "batch7"})
        inventory.workloads.push_back(workload(name));
    return inventory;
}

} // namespace

class tst_WorkloadGroups : public QObject
{
    Q_OBJECT

private slots:
    void stems()
    {
        QCOMPARE(nameStem("cart-7d9f"), std::string("cart"));
        QCOMPARE(nameStem("redis-master"), std::string("redis"));
        QCOMPARE(nameStem("cart-api-v2"), std::string("cart-api"));
        QCOMPARE(nameStem("svc00042"), std::string("svc"));
        QCOMPARE(nameStem("web"), std::string("web"));
        QCOMPARE(nameStem("1234"), std::string("1234"));
        QCOMPARE(nameStem("-x"), std::string("-x"));
    }

    void byLabelsThenNames()
    {
        const Inventory inventory = mixed();
        // At most the limit: drawn whole, no groups.
        QVERIFY(groupWorkloads(inventory, all(inventory), 12).empty());
        // Over it: part-of first, then the stem of app.kubernetes.io/name, of app, of the name.
        const auto groups = groupWorkloads(inventory, all(inventory), 5);
        QCOMPARE(summary(groups),
                 (QStringList{"batch:1", "cart:3", "redis:2", "shop:4", "worker:2"}));
        QCOMPARE(groups[3].workloads, (std::vector<int>{0, 1, 2, 3}));
        QCOMPARE(groups[1].workloads, (std::vector<int>{4, 5, 6}));
        QCOMPARE(groups[4].workloads, (std::vector<int>{9, 10}));
        // Only some members (one namespace of several): only they are grouped.
        QCOMPARE(summary(groupWorkloads(inventory, {4, 5, 6, 9, 10, 11}, 3)),
                 (QStringList{"batch:1", "cart:3", "worker:2"}));
    }

    void rangesWhenTooManyGroups()
    {
        // 5 groups over a limit of 4: name ranges of the whole namespace, at most 4 each.
        const Inventory inventory = mixed();
        QCOMPARE(summary(groupWorkloads(inventory, all(inventory), 4)),
                 (QStringList{"api – cart-b:4", "cart-c – redis-0:4", "redis-1 – worker-2:4"}));
    }

    void rangesOfOneGroupTooBig()
    {
        // 9 workloads "svcN" (one stem) and 2 "db-…": svc over the limit of 5 is cut in two
        // ranges as even as can be (4 and 5), in number order (svc2 before svc10).
        Inventory inventory;
        for (int i : {1, 2, 3, 10, 11, 12, 20, 21, 22})
            inventory.workloads.push_back(workload("svc" + std::to_string(i)));
        inventory.workloads.push_back(workload("db-0"));
        inventory.workloads.push_back(workload("db-1"));
        const auto groups = groupWorkloads(inventory, all(inventory), 5);
        QCOMPARE(summary(groups), (QStringList{"db:2", "svc1 – svc10:4", "svc11 – svc22:5"}));
        QCOMPARE(groups[1].workloads, (std::vector<int>{0, 1, 2, 3}));
    }

    void rangesOfAtMost250()
    {
        // 1,000 workloads whose app labels share one stem ("svc"), over the limit of 300: 4
        // ranges of 250 (a namespace of the generated 20,000-workload model).
        Inventory inventory;
        for (int i = 0; i < 1000; ++i) {
            char name[16];
            std::snprintf(name, sizeof name, "svc%05d", i * 20);
            inventory.workloads.push_back(workload(name, {{"app", name}}));
        }
        QCOMPARE(summary(groupWorkloads(inventory, all(inventory), 300)),
                 (QStringList{"svc00000 – svc04980:250", "svc05000 – svc09980:250",
                              "svc10000 – svc14980:250", "svc15000 – svc19980:250"}));
    }
};

QTEST_APPLESS_MAIN(tst_WorkloadGroups)
#include "tst_workloadgroups.moc"
