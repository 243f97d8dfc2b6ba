// `make bench` cases for Hubble flow lines: a generated file of N lines (`hubble observe -o json`
// shape, written from the format's definition by tests/tools/hubblelines.h) and its read.
#include "hubble/hubblereader.h"
#include "hubble/hubbletable.h"
#include "hubblelines.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

namespace bulkhead::bench {

// Connections of 2,000 client pods to 500 servers, 10 events each (SYN, SYN-ACK, ACKs at both
// ends), one in 50 dropped by a policy; times one second apart.
bool writeHubbleLines(const std::string &path, uint64_t lines)
{
    using namespace bulkhead::testing;
    std::ofstream out(path, std::ios::binary);
    if (!out)
        return false;
    uint64_t written = 0;
    for (uint64_t c = 0; written < lines; ++c) {
        const int client = int(c % 2000), server = int(c % 500);
        HubbleEnd from{"10.244." + std::to_string(client / 250) + '.'
                           + std::to_string(client % 250 + 1),
                       uint16_t(32768 + (c / 2000) % 28000), "ns" + std::to_string(client % 40),
                       "client-" + std::to_string(client)};
        HubbleEnd to{"10.245." + std::to_string(server / 250) + '.'
                         + std::to_string(server % 250 + 1),
                     8080, "ns" + std::to_string(server % 40), "server-" + std::to_string(server)};
        char time[40];
        std::snprintf(time, sizeof time, "2026-12-03T%02d:%02d:%02d.%09dZ", int(c / 3600 % 24),
                      int(c / 60 % 60), int(c % 60), int(c * 7919 % 1000000000));
        const bool drop = c % 50 == 49;
        for (int e = 0; e < 10 && written < lines; ++e, ++written) {
            const bool reply = e % 2 == 1;
            HubbleFlow f{reply ? to : from, reply ? from : to};
            f.time = time;
            f.direction = e < 5 ? "EGRESS" : "INGRESS";
            f.syn = e < 2;
            f.ack = e > 0;
            f.isReply = reply ? 1 : 0;
            if (drop) {
                f.verdict = "DROPPED";
                f.dropReason = "POLICY_DENIED";
                f.deniedBy = {to.ns + "/deny-" + std::to_string(server)};
            }
            out << hubbleLine(f) << '\n';
        }
    }
    return bool(out);
}

// Prints "events connections" after the caller's stopwatch text; 0 on success.
int readHubbleLines(const std::string &path, uint64_t &events, size_t &connections)
{
    HubbleTable table;
    auto stats = readHubbleFile(path, 0, table);
    if (!stats) {
        std::fprintf(stderr, "%s\n", stats.error().toString().c_str());
        return 1;
    }
    events = stats->events;
    connections = table.connections().size();
    return 0;
}

} // namespace bulkhead::bench
