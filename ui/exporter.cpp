#include "exporter.h"

#include "document.h"
#include "policy/policywriter.h"
#include "util/atomicfile.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QGraphicsScene>
#include <QImage>
#include <QPainter>
#include <QSvgGenerator>

namespace bulkhead::ui {

Exporter::Exporter(const Document &document)
    : m_document(document)
{
}

Exporter::Result Exporter::write(const QString &file, const QByteArray &bytes, const QString &done)
{
    const auto written = writeFileAtomically(QFile::encodeName(file).toStdString(),
                                             std::string_view(bytes.constData(), bytes.size()));
    if (!written)
        return std::unexpected(QString::fromStdString(written.error().toString()));
    return done;
}

Exporter::Result Exporter::policies(const QString &file, bool selectionOnly) const
{
    const QString yaml = selectionOnly ? m_document.policiesYamlOf({m_document.selectedWorkload()})
                                       : m_document.allPoliciesYaml();
    return write(file, yaml.toUtf8(),
                 tr("Wrote the policies to %1").arg(QDir::toNativeSeparators(file)));
}

Exporter::Result Exporter::cilium(const QString &file) const
{
    QStringList warnings;
    const QString yaml = m_document.ciliumPoliciesYaml(&warnings);
    QString text = tr("Wrote the CiliumNetworkPolicies to %1").arg(QDir::toNativeSeparators(file));
    if (!warnings.isEmpty())
        text += tr(" · %n warning(s): %1", nullptr, static_cast<int>(warnings.size()))
                    .arg(warnings.join(QStringLiteral("; ")));
    return write(file, yaml.toUtf8(), text);
}

Exporter::Result Exporter::policiesToFolder(const QString &folder) const
{
    int written = 0;
    for (const NetworkPolicy &policy : m_document.generated().policies) {
        const QString file = QDir(folder).filePath(
            QString::fromStdString(policy.ns + '-' + policy.name) + QStringLiteral(".yaml"));
        const auto ok = writeFileAtomically(file.toStdString(), writePolicyYaml(policy));
        if (!ok)
            return std::unexpected(QString::fromStdString(ok.error().toString()));
        ++written;
    }
    return tr("Wrote %1 policy files to %2").arg(written).arg(QDir::toNativeSeparators(folder));
}

Exporter::Result Exporter::report(const QString &file) const
{
    return write(file, m_document.reportJson().toUtf8(), QString());
}

Exporter::Result Exporter::graph(QGraphicsScene *scene, const QString &file, bool svg) const
{
    const QRectF source = scene->sceneRect();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    bool ok = true;
    if (svg) {
        QSvgGenerator generator;
        generator.setOutputDevice(&buffer);
        generator.setSize(source.size().toSize());
        generator.setViewBox(QRectF(QPointF(0, 0), source.size()));
        generator.setTitle(QStringLiteral("Bulkhead graph"));
        QPainter painter(&generator);
        scene->render(&painter, QRectF(QPointF(0, 0), source.size()), source);
        painter.end();
    } else {
        QImage image((source.size() * 2).toSize(), QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        scene->render(&painter, QRectF(QPointF(0, 0), source.size() * 2), source);
        painter.end();
        ok = image.save(&buffer, "PNG");
    }
    if (!ok)
        return std::unexpected(tr("Could not draw the graph as PNG."));
    return write(file, bytes, QString());
}

} // namespace bulkhead::ui
