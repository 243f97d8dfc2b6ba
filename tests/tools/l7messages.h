#pragma once

// HTTP/1.1 and HTTP/2 (h2c) client byte streams for the layer-7 tests, the fuzz corpus and the
// benchmark. HTTP/2 header blocks are made by libnghttp2's HPACK deflater, so they use its
// dynamic table as a real client does: a header sent again is an index into the table.

#include <cstdint>
#include <string>
#include <vector>

namespace bulkhead::testing {

struct H2Request
{
    std::string method;
    std::string path;
    std::string authority;
    bool grpc = false; // content-type application/grpc, te: trailers, and a DATA frame
    std::string body;  // DATA frame payload (gRPC: the 5-byte message prefix is added)
};

// An h2c client: the connection preface, a SETTINGS frame, then per call to request() one
// HEADERS frame (stream 1, 3, 5...) and, with a body, one DATA frame.
class H2Client
{
public:
    H2Client();
    ~H2Client();
    H2Client(const H2Client &) = delete;
    H2Client &operator=(const H2Client &) = delete;

    std::vector<uint8_t> preface() const;
    std::vector<uint8_t> request(const H2Request &r);
    // The size of the last header block (shrinks when the dynamic table is used).
    size_t lastHeaderBlockSize() const { return m_lastBlock; }

private:
    void *m_deflater = nullptr;
    uint32_t m_stream = 1;
    size_t m_lastBlock = 0;
};

std::vector<uint8_t> bytes(const std::string &text);

} // namespace bulkhead::testing
