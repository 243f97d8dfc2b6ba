#include "commands.h"
#include "output.h"

#include "capture/livecapture.h"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

namespace bulkhead::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int)
{
    g_interrupted = true;
}

struct CaptureCommand
{
    std::string interfaceName;
    std::string filter;
    double duration = 0;
    uint64_t count = 0;
    std::string write;
    std::string program;
    int run() const;
};

int CaptureCommand::run() const
{
    if (auto valid = checkCaptureFilter(filter); !valid)
        return reportError(valid.error());
    // Into a temporary file beside the destination, renamed once the capture ended well: a
    // failed or interrupted-by-error run never leaves a half-written F.pcap.
    const std::filesystem::path destination(write);
    const std::filesystem::path temporary
        = destination.parent_path()
          / ("." + destination.filename().string() + ".partial-" + std::to_string(::getpid()));
    LiveCaptureOptions options;
    options.interfaceName = interfaceName;
    options.filter = filter;
    options.maxPackets = count;
    options.writePath = temporary.string();
    // The permission message names this very executable, for setcap.
    std::error_code ignored;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ignored);
    options.program = self.empty() ? program : self.string();
    LiveCapture capture(options);
    if (auto started = capture.start(); !started)
        return reportError(started.error());

    g_interrupted = false;
    auto previous = std::signal(SIGINT, onInterrupt);
    auto previousTerm = std::signal(SIGTERM, onInterrupt);
    std::cerr << "bulkhead-cli: capturing on " << interfaceName
              << (filter.empty() ? std::string() : " (filter: " + filter + ")")
              << (duration > 0 || count > 0 ? "" : "; Ctrl+C stops") << '\n';
    const auto started = std::chrono::steady_clock::now();
    while (capture.isRunning() && !g_interrupted) {
        if (duration > 0
            && std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
                   >= duration)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    capture.stop();
    std::signal(SIGINT, previous);
    std::signal(SIGTERM, previousTerm);

    if (auto failure = capture.failure()) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        return reportError(*failure);
    }
    std::error_code error;
    std::filesystem::rename(temporary, destination, error);
    if (error) {
        std::filesystem::remove(temporary, error);
        return reportError(Error{write, 0, "cannot write the capture: " + error.message()});
    }
    const LiveCaptureStats stats = capture.stats();
    std::cerr << "bulkhead-cli: " << stats.packets << " packets (" << stats.bytes << " bytes), "
              << capture.flowCount() << " conversations, " << stats.dropped
              << " dropped by the kernel; wrote " << write << '\n';
    return ExitOk;
}

} // namespace

void registerCaptureCommand(CLI::App &app, int &exitCode)
{
    auto command = std::make_shared<CaptureCommand>();
    command->program = "bulkhead-cli";
    CLI::App *c = app.add_subcommand(
        "capture", "Capture packets from a network interface into a pcap file (needs CAP_NET_RAW)");
    c->add_option("--interface,-i", command->interfaceName,
                  "Interface to capture on (e.g. eth0, lo, any)")
        ->required();
    c->add_option("--filter,-f", command->filter, "BPF capture filter, as tcpdump takes it");
    c->add_option("--duration", command->duration, "Stop after this many seconds")
        ->check(CLI::PositiveNumber);
    c->add_option("--count", command->count, "Stop after this many packets")
        ->check(CLI::PositiveNumber);
    c->add_option("--write,-w", command->write, "The pcap file to write (atomically)")->required();
    c->callback([command, &exitCode] { exitCode = command->run(); });
}

} // namespace bulkhead::cli
