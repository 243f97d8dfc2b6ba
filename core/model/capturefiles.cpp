#include "model/capturefiles.h"

#include "capture/flowtable.h"
#include "util/progress.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace bulkhead {

namespace {

// One file of a parallel read: its own table, and the progress its reader reports.
struct FileRead final : ProgressSink
{
    FlowTable table;
    std::optional<Expected<CaptureStats>> result;
    std::atomic<uint64_t> done{0}, total{0};
    const std::atomic<bool> *cancel = nullptr;

    void progress(uint64_t d, uint64_t t) override
    {
        done.store(d, std::memory_order_relaxed);
        total.store(t, std::memory_order_relaxed);
    }
    bool isCancelled() const override { return cancel->load(std::memory_order_relaxed); }
};

} // namespace

Expected<std::vector<CaptureStats>> readCaptureFiles(const std::vector<std::string> &paths,
                                                     FlowTable &table, ProgressSink *progress,
                                                     unsigned threads)
{
    if (threads == 0)
        threads = std::max(1u, std::thread::hardware_concurrency());
    threads = std::clamp<unsigned>(static_cast<unsigned>(paths.size()), 1, threads);
    std::vector<CaptureStats> stats;
    if (paths.size() == 1) { // straight into the caller's table
        auto s = readCaptureFile(paths[0], 0, table, progress);
        if (!s)
            return std::unexpected(s.error());
        stats.push_back(std::move(*s));
        return stats;
    }
    // Several files: one table each even on one thread, so the merged result is the same for
    // any number of threads.

    std::atomic<bool> cancel{false};
    std::vector<std::unique_ptr<FileRead>> reads;
    for (size_t i = 0; i < paths.size(); ++i) {
        reads.push_back(std::make_unique<FileRead>());
        reads.back()->cancel = &cancel;
        reads.back()->table.setHttpEnabled(table.httpEnabled());
        // Every file's size counts from the start: a large file whose first report is still to
        // come must not let the small ones, already read, show 100%.
        std::error_code ec;
        const auto size = std::filesystem::file_size(paths[i], ec);
        reads.back()->total = ec ? 0 : uint64_t(size);
    }
    std::atomic<size_t> next{0};
    std::mutex mutex;
    std::condition_variable finished;
    unsigned running = threads;
    std::vector<std::jthread> workers;
    for (unsigned t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            for (size_t i; (i = next.fetch_add(1)) < paths.size();) {
                FileRead &r = *reads[i];
                r.result = readCaptureFile(paths[i], static_cast<uint32_t>(i), r.table, &r);
            }
            std::lock_guard lock(mutex);
            --running;
            finished.notify_one();
        });
    }
    // The caller's sink is only called from this thread.
    {
        std::unique_lock lock(mutex);
        while (
            !finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return running == 0; })) {
            if (!progress)
                continue;
            if (progress->isCancelled())
                cancel = true;
            uint64_t done = 0, total = 0;
            for (const auto &r : reads)
                done += r->done.load(std::memory_order_relaxed),
                    total += r->total.load(std::memory_order_relaxed);
            progress->progress(done, total);
        }
    }
    workers.clear(); // joins

    for (auto &r : reads) {
        if (!*r->result)
            return std::unexpected(r->result->error());
        stats.push_back(std::move(**r->result));
        table.merge(r->table);
        r->table = FlowTable(); // frees it now
    }
    if (progress) {
        uint64_t total = 0;
        for (const auto &r : reads)
            total += r->total.load();
        progress->progress(total, total);
    }
    return stats;
}

} // namespace bulkhead
