#include "util/atomicfile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace bulkhead {

namespace {

mode_t baseMode(FileAccess access)
{
    return access == FileAccess::Private ? 0600 : 0644;
}

// Creates a new file beside path with O_EXCL and the access's mode, so that the kernel applies the
// umask (no umask() call: it is process-wide and racy in a threaded program). Returns the
// descriptor and sets tmp to its name, or -1 with errno set.
int createTemporary(const std::string &path, FileAccess access, std::string &tmp)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::random_device entropy;
    std::uniform_int_distribution<int> pick(0, sizeof(alphabet) - 2);
    for (int attempt = 0; attempt < 100; ++attempt) {
        tmp = path + ".tmp-";
        for (int i = 0; i < 8; ++i)
            tmp += alphabet[pick(entropy)];
        const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                              baseMode(access));
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

} // namespace

Expected<void> writeFileAtomically(const std::string &path, std::string_view content)
{
    return writeFileAtomically(path, content, FileAccess::Shared);
}

Expected<void> writeFileAtomically(const std::string &path, std::string_view content,
                                   FileAccess access)
{
    std::string tmp;
    const int fd = createTemporary(path, access, tmp);
    if (fd < 0)
        return makeError(path, 0,
                         std::string("cannot create a temporary file beside it: ")
                             + std::strerror(errno));
    auto failWith = [&](const char *what) {
        const int saved = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        return makeError(path, 0, std::string(what) + ": " + std::strerror(saved));
    };
    // The kernel gave the new file baseMode & ~umask (or less, under a default ACL). Replacing a
    // file whose group/other bits are narrower keeps them narrower; the owner keeps read/write.
    struct stat existing
    {
    };
    if (::stat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode)) {
        struct stat created
        {
        };
        if (::fstat(fd, &created) != 0)
            return failWith("cannot read the new file's permissions");
        const mode_t mode = (created.st_mode & 07777) & (existing.st_mode | 0700);
        if (mode != (created.st_mode & 07777) && ::fchmod(fd, mode) != 0)
            return failWith("cannot set permissions");
    }
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
        ::unlink(tmp.c_str());
        return makeError(path, 0, std::string("cannot write: ") + std::strerror(saved));
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int saved = errno;
        ::unlink(tmp.c_str());
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
