// The application's review of CiliumNetworkPolicies on the Online Boutique sample: opened in the
// Review panel, they are evaluated as Cilium enforces them (not listed as not evaluated): breaks
// and excess from `check`'s Cilium review, the reach under them for the blast radius and the
// internet's exposure, and the comparison with the design. With the cluster tiers they are
// refused, as `check` refuses them.
#include "docks/reviewpanel.h"
#include "document.h"
#include "mainwindow.h"
#include "model/model.h"
#include "testsupport.h"
#include "views/graphview.h"

#include <QDockWidget>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace bulkhead;
using namespace bulkhead::ui;
using bulkhead::testing::writeFile;

namespace {

const QString Sample = QStringLiteral(BULKHEAD_SOURCE_DIR "/samples/online-boutique");

// cartservice admits only frontend, on 7070; frontend admits only the internet (entity world).
const QByteArray ciliumPolicies = R"(apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: cartservice}
spec:
  endpointSelector: {matchLabels: {app: cartservice}}
  ingress:
  - fromEndpoints: [{matchLabels: {app: frontend}}]
    toPorts: [{ports: [{port: "7070", protocol: TCP}]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: frontend}
spec:
  endpointSelector: {matchLabels: {app: frontend}}
  ingress:
  - fromEntities: [world]
)";

QStringList column(const QTableWidget *table, int c)
{
    QStringList out;
    for (int r = 0; r < table->rowCount(); ++r)
        out << (table->item(r, c) ? table->item(r, c)->text() : QString());
    return out;
}

} // namespace

class TestCiliumReview : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    QStringList m_messages;
    Document *doc() const { return m_window->document(); }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_window = std::make_unique<MainWindow>();
        m_window->setMessageHandler([this](QMessageBox::Icon, const QString &title,
                                           const QString &text, QMessageBox::StandardButtons) {
            m_messages << title + QStringLiteral(": ") + text;
            return QMessageBox::Ok;
        });
        m_window->resize(1024, 700);
        m_window->show();
        QSignalSpy model(doc(), &Document::modelChanged);
        m_window->openPath(Sample);
        QVERIFY(model.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(doc()->hasLayout(), 60000);
    }

    void ciliumPolicies()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir, "cnp.yaml", ::ciliumPolicies);
        ReviewPanel *panel = m_window->reviewPanel();
        QVERIFY(panel->openPolicies({file}, QStringLiteral("boutique")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->review() && !panel->isReviewing(), 60000);
        const PolicyReview *review = panel->review();
        QCOMPARE(review->ciliumPolicies, size_t(2));
        QCOMPARE(review->undecided.size(), size_t(0));
        QCOMPARE(review->undecidedPairs, size_t(0));
        QCOMPARE(review->httpBreaks, size_t(0));

        // The two observed flows they deny, as `check` lists them: checkoutservice's calls to
        // the cart and the load generator's to the frontend; the internet's clients of the
        // frontend pass through `world`.
        QCOMPARE(panel->breaksTable()->rowCount(), 2);
        QCOMPARE(column(panel->breaksTable(), 0),
                 QStringList({"boutique/checkoutservice", "boutique/loadgenerator"}));
        QCOMPARE(column(panel->breaksTable(), 1),
                 QStringList({"boutique/cartservice", "boutique/frontend"}));
        QCOMPARE(column(panel->breaksTable(), 2), QStringList({"TCP/7070", "TCP/8080"}));
        QCOMPARE(column(panel->breaksTable(), 5), QStringList({"Cilium", "Cilium"}));
        QCOMPARE(column(panel->breaksTable(), 6).front(),
                 QStringLiteral("boutique/cartservice is default-deny for ingress "
                                "(boutique/cartservice); no rule allows it"));
        QCOMPARE(review->check.excess.size(), size_t(138)); // as `check` counts them
        // Nothing is left out: no Cilium policy in the Warnings tab.
        QCOMPARE(panel->warningsTable()->rowCount(), 0);
        QVERIFY2(panel->summaryText().contains(QStringLiteral(
                     "2 policies (2 select workloads): 2 observed edge(s) broken, 138 excess")),
                 qPrintable(panel->summaryText()));
        QVERIFY(panel->summaryText().contains(QStringLiteral("2 Cilium policies")));

        // The reach under them: only the internet reaches frontend, only frontend reaches
        // cartservice; the others reach all but themselves, frontend and cartservice.
        const int frontend = doc()->findWorkload(QStringLiteral("boutique/frontend"));
        const int cart = doc()->findWorkload(QStringLiteral("boutique/cartservice"));
        const int checkout = doc()->findWorkload(QStringLiteral("boutique/checkoutservice"));
        const BlastRadius front = doc()->blastRadius(frontend, ReachBasis::Loaded);
        QCOMPARE(front.reach.size(), size_t(12));
        QCOMPARE(front.reachedBy.size(), size_t(0));
        QCOMPARE(doc()->blastRadius(cart, ReachBasis::Loaded).reachedBy,
                 std::vector<int>{frontend});
        const BlastRadius other = doc()->blastRadius(checkout, ReachBasis::Loaded);
        QCOMPARE(other.reach.size(), size_t(10));
        QVERIFY(!std::binary_search(other.reach.begin(), other.reach.end(), cart));
        // The internet: every workload but cartservice directly, cartservice through frontend.
        QCOMPARE(review->internetNow.direct.size(), size_t(12));
        QCOMPARE(review->internetNow.reach.size(), size_t(13));

        // Compare: the design allows the two flows these policies break.
        QStringList allowedObserved;
        for (const Connection &c : review->comparison.newlyAllowed)
            if (c.observed)
                allowedObserved << QString::fromStdString(
                    peerName(review->model->inventory, c.from) + " -> "
                    + peerName(review->model->inventory, c.to) + ' ' + std::to_string(c.port));
        QCOMPARE(allowedObserved,
                 QStringList({"boutique/checkoutservice -> boutique/cartservice 7070",
                              "boutique/loadgenerator -> boutique/frontend 8080"}));
        QVERIFY(!review->comparison.newlyBlocked.empty());
        for (const Connection &c : review->comparison.newlyBlocked)
            QVERIFY(!c.observed); // the design blocks nothing that was seen

        // For the README and the report: BULKHEAD_SCREENSHOTS=folder.
        if (const QString folder = qEnvironmentVariable("BULKHEAD_SCREENSHOTS");
            !folder.isEmpty()) {
            QDockWidget *dock = m_window->findChild<QDockWidget *>(QStringLiteral("reviewDock"));
            dock->raise();
            QDockWidget *tables = m_window->findChild<QDockWidget *>(QStringLiteral("tablesDock"));
            m_window->resize(1024, 700);
            QTest::qWait(300);
            m_window->resizeDocks({tables, dock}, {310, 310}, Qt::Vertical);
            panel->tabs()->setCurrentWidget(panel->breaksTable());
            doc()->selectWorkload(-1);
            m_window->graphView()->fitGraph();
            QTest::qWait(1500);
            QVERIFY(m_window->grab().save(folder + "/review-cilium-1024.png"));
        }
        panel->closePolicies();
    }

    void refusedWithClusterTiers()
    {
        QTemporaryDir dir;
        const QString file = writeFile(
            dir, "both.yaml",
            ::ciliumPolicies
                + "---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: "
                  "ClusterNetworkPolicy\nmetadata: {name: deny-all}\nspec:\n  tier: Admin\n  "
                  "priority: 10\n  subject: {namespaces: {}}\n  ingress:\n  - action: Deny\n    "
                  "from: [{namespaces: {}}]\n");
        ReviewPanel *panel = m_window->reviewPanel();
        QSignalSpy failed(panel, &ReviewPanel::failed);
        QVERIFY(!panel->openPolicies({file}, QStringLiteral("boutique")));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.front().front().toString().contains(
                     QStringLiteral("Cilium does not enforce the cluster tiers")),
                 qPrintable(failed.front().front().toString()));
        QVERIFY(!panel->hasPolicies());
    }
};

QTEST_MAIN(TestCiliumReview)
#include "tst_ciliumreview.moc"
