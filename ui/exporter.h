#pragma once

#include <QCoreApplication>
#include <QString>

#include <expected>

class QByteArray;
class QGraphicsScene;

namespace bulkhead::ui {

class Document;

// What File > Export writes, each file atomically with mode 0644 (narrowed by the umask), never
// in place: the policies (all, of the selected workload, one file per policy in a folder), the
// CiliumNetworkPolicies, the report and the picture of the graph. Each call gives the sentence
// for the status bar (empty: nothing to say), or why nothing was written.
class Exporter
{
    Q_DECLARE_TR_FUNCTIONS(Exporter)

public:
    using Result = std::expected<QString, QString>;

    explicit Exporter(const Document &document);

    // Policies of the selection: the selected workload's.
    Result policies(const QString &file, bool selectionOnly) const;
    // One file per policy: <namespace>-<name>.yaml.
    Result policiesToFolder(const QString &folder) const;
    // Document::ciliumPoliciesYaml, with its warnings.
    Result cilium(const QString &file) const;
    Result report(const QString &file) const;
    // The scene as drawn, as SVG or as PNG at twice its size.
    Result graph(QGraphicsScene *scene, const QString &file, bool svg) const;

private:
    static Result write(const QString &file, const QByteArray &bytes, const QString &done);

    const Document &m_document;
};

} // namespace bulkhead::ui
