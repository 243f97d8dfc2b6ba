#pragma once

#include "docks/reviewcompute.h"
#include "graph/reviewmarks.h"
#include "policy/policykind.h"
#include "policy/policyloader.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTableWidget;

namespace bulkhead::ui {

class Document;

// The Review panel (docs/review.md, "Reviewing the cluster's policies"): open the policies the
// cluster enforces (files of `kubectl get networkpolicy -A -o yaml`, or manifests; a namespace
// for those that name none, as `kubectl apply -n` would), then read what they break, what they
// allow beyond the evidence (per workload), the deciding policy and rule of each break, how far
// the internet reaches under them and under the design, and what the design newly blocks and
// newly allows. Selecting a row selects its workload.
class ReviewPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ReviewPanel(Document *document, QWidget *parent = nullptr);

    // Reads the files (synchronously: policy files are small) and starts the review in the
    // background; reviewed() follows, or failed() with a message naming the file.
    bool openPolicies(const QStringList &files, const QString &defaultNamespace);
    void closePolicies();
    bool hasPolicies() const { return !m_files.isEmpty(); }
    QStringList policyFiles() const { return m_files; }
    // The last finished review, or nullptr (none open, or the first still running).
    const PolicyReview *review() const { return m_review.get(); }
    bool isReviewing() const { return m_running > 0; }
    // What the review found (policies, breaks, excess, internet exposure, compare), then the
    // workloads the inventory suggests face the internet.
    QString summaryText() const;
    QString reviewText() const;
    QString hintsText() const;
    QTableWidget *breaksTable() const { return m_breaks; }
    QTableWidget *excessTable() const { return m_excess; }
    QTableWidget *compareTable() const { return m_compare; }
    QTableWidget *warningsTable() const { return m_warnings; }
    QTableWidget *deadTable() const { return m_dead; }
    QTableWidget *guardrailsTable() const { return m_guardrails; }
    QTabWidget *tabs() const { return m_tabs; }
    // The marks the graph shows for the last review (findings, or compare on the Compare tab).
    ReviewMarks marks() const;
    QLineEdit *namespaceEdit() const { return m_namespace; }
    // Shows the Compare tab.
    void showComparison();

signals:
    void reviewed();
    void failed(const QString &message);

private:
    // designOnly: only the design changed since the last review (its findings are kept).
    void startReview(bool designOnly = false);
    void apply(std::shared_ptr<const PolicyReview> review);
    void fillTables();
    void chooseFiles();
    void publish(); // the marks and the loaded reach, to the document
    // The Tier column of a break: "Cilium" under Cilium policies, else the deciding tier.
    static QString tierText(const PolicyReview &review, const TieredBreak &b);

    Document *m_document;
    QStringList m_files;
    QString m_defaultNamespace;
    PolicySet m_set;
    std::vector<NotEvaluatedPolicy> m_notEvaluated;
    std::shared_ptr<const PolicyReview> m_review;
    int m_serial = 0;
    int m_generation = 0;        // policies and inputs reviewed: a new one per open, close, model
    int m_reviewGeneration = -1; // the generation of m_review
    int m_running = 0;

    QLineEdit *m_namespace;
    QPushButton *m_open;
    QPushButton *m_close;
    QPushButton *m_compareButton;
    QLabel *m_summary;
    QTabWidget *m_tabs;
    QTableWidget *m_breaks;
    QTableWidget *m_excess;
    QTableWidget *m_compare;
    QTableWidget *m_warnings;
    QTableWidget *m_dead;
    QTableWidget *m_guardrails;
};

} // namespace bulkhead::ui
