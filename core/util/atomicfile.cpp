#include "util/atomicfile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace bulkhead {

Expected<void> writeFileAtomically(const std::string &path, std::string_view content)
{
    std::string tmpl = path + ".tmp-XXXXXX";
    const int fd = mkstemp(tmpl.data());
    if (fd < 0)
        return makeError(path, 0, std::string("cannot create a temporary file beside it: ") + std::strerror(errno));
    auto failWith = [&](const char *what) {
        const int saved = errno;
        ::close(fd);
        ::unlink(tmpl.c_str());
        return makeError(path, 0, std::string(what) + ": " + std::strerror(saved));
    };
    if (fchmod(fd, 0644) != 0)
        return failWith("cannot set permissions");
    const char *data = content.data();
    size_t left = content.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, data, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return failWith("cannot write");
        }
        data += n;
        left -= static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0)
        return failWith("cannot flush to disk");
    if (::close(fd) != 0) {
        const int saved = errno;
        ::unlink(tmpl.c_str());
        return makeError(path, 0, std::string("cannot write: ") + std::strerror(saved));
    }
    if (std::rename(tmpl.c_str(), path.c_str()) != 0) {
        const int saved = errno;
        ::unlink(tmpl.c_str());
        return makeError(path, 0, std::string("cannot replace the file: ") + std::strerror(saved));
    }
    return {};
}

Expected<std::string> readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(path, 0, std::string("cannot open: ") + std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
        return makeError(path, 0, "cannot read the file");
    return buffer.str();
}

} // namespace bulkhead
