#include "inventory/inventorytext.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bulkhead {

namespace {

constexpr size_t kReleaseEvery = size_t(32) << 20; // give pages back in 32 MiB steps
constexpr size_t kPopulateAhead = size_t(8) << 20; // map pages 8-16 MiB ahead of the reading

} // namespace

Expected<InventoryText> InventoryText::open(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return makeError(path, 0,
                         std::string("cannot read the inventory: ") + std::strerror(errno));
    struct stat st
    {
    };
    if (fstat(fd, &st) != 0) {
        const int e = errno;
        ::close(fd);
        return makeError(path, 0, std::string("cannot read the inventory: ") + std::strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        return makeError(path, 0, "cannot read the inventory: it is a folder, not a file");
    }
    InventoryText t;
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
        void *map = mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
        if (map != MAP_FAILED) {
            ::close(fd);
            madvise(map, size_t(st.st_size), MADV_SEQUENTIAL);
            t.m_map = map;
            t.m_mapSize = size_t(st.st_size);
            t.m_text = std::string_view(static_cast<const char *>(map), t.m_mapSize);
            t.release(0);
            return t;
        }
    }
    // A pipe, an empty or special file: read it whole.
    t.m_owned = std::make_unique<std::string>();
    char buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const int e = errno;
            ::close(fd);
            return makeError(path, 0,
                             std::string("cannot read the inventory: ") + std::strerror(e));
        }
        t.m_owned->append(buffer, size_t(n));
    }
    ::close(fd);
    t.m_text = *t.m_owned;
    return t;
}

InventoryText InventoryText::borrow(std::string_view text)
{
    InventoryText t;
    t.m_text = text;
    return t;
}

InventoryText::InventoryText(InventoryText &&o) noexcept
    : m_text(o.m_text)
    , m_map(o.m_map)
    , m_mapSize(o.m_mapSize)
    , m_released(o.m_released)
    , m_populated(o.m_populated)
    , m_owned(std::move(o.m_owned))
{
    o.m_map = nullptr;
    o.m_mapSize = 0;
}

InventoryText::~InventoryText()
{
    if (m_map)
        munmap(m_map, m_mapSize);
}

void InventoryText::release(size_t offset)
{
    if (!m_map)
        return;
    const size_t page = size_t(sysconf(_SC_PAGESIZE));
    if (offset + kPopulateAhead > m_populated && m_populated < m_mapSize) {
        // The next pages are mapped in one call rather than one fault a page (faults cost most
        // of the first read of the text otherwise); kernels before 5.14 say EINVAL, harmlessly.
        const size_t upTo = std::min(m_mapSize, (offset + 2 * kPopulateAhead) / page * page);
        if (upTo > m_populated) {
#ifdef MADV_POPULATE_READ
            madvise(static_cast<char *>(m_map) + m_populated, upTo - m_populated,
                    MADV_POPULATE_READ);
#endif
            m_populated = upTo;
        }
    }
    if (offset < m_released + kReleaseEvery)
        return;
    const size_t upTo = offset / page * page;
    if (upTo > m_released) {
        madvise(static_cast<char *>(m_map) + m_released, upTo - m_released, MADV_DONTNEED);
        m_released = upTo;
    }
}

} // namespace bulkhead
