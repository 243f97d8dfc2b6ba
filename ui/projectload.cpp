#include "projectload.h"

#include "designresult.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFont>

namespace bulkhead::ui {

// zones.yaml when present) as an unsaved project.
Expected<Project> projectOfPath(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return makeError(path.toStdString(), 0, "There is no such file or folder.");
    if (!info.isDir())
        return loadProject(path.toStdString());
    const QDir dir(path);
    Project project;
    if (!dir.exists(QStringLiteral("inventory.yaml")))
        return makeError(path.toStdString(), 0, "The folder holds no inventory.yaml.");
    project.inventories.push_back(dir.filePath(QStringLiteral("inventory.yaml")).toStdString());
    const QStringList captures = dir.entryList(
        {QStringLiteral("*.pcap"), QStringLiteral("*.pcapng")}, QDir::Files, QDir::Name);
    for (const QString &capture : captures)
        project.captures.push_back(dir.filePath(capture).toStdString());
    if (dir.exists(QStringLiteral("zones.yaml")))
        project.zones = dir.filePath(QStringLiteral("zones.yaml")).toStdString();
    return project;
}

LoadOutcome readProject(const Project &project, LoadProgress *sink, ClusterMode mode,
                        const QFont &font)
{
    QElapsedTimer timer;
    timer.start();
    PipelineInputs inputs{project.inventories, project.captures, project.flows, project.zones};
    auto model = buildModel(inputs, sink);
    if (!model)
        return {nullptr, QString::fromStdString(model.error().toString())};
    auto loaded = std::make_shared<LoadedModel>();
    loaded->model = std::move(*model);
    const double seconds = timer.elapsed() / 1000.0;
    if (sink->isCancelled())
        return {std::move(loaded), {}, seconds};
    // The design of the project's decisions too, off the GUI thread.
    auto design = std::make_shared<DesignResult>(computeDesign(loaded->model, project, mode, font));
    return {std::move(loaded), {}, seconds, std::move(design)};
}

} // namespace bulkhead::ui
