#include "storage/redo_log.h"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/coding.h"
#include "common/crc32c.h"

namespace strata::storage {
namespace fs = std::filesystem;

namespace {

constexpr size_t kHeaderBytes = 8;  // fixed32 length | fixed32 masked crc
// A record is one commit batch; anything larger than this is damage, not data.
constexpr uint32_t kMaxRecordBytes = 1u << 31;
constexpr std::string_view kSuffix = ".redo";

Status Errno(const std::string& what) {
  return Status::IOError(what + ": " + std::strerror(errno));
}

// Writes all `n` bytes at `offset`, resuming after a short write.
Status WriteAll(int fd, const char* p, size_t n, off_t offset, const std::string& name) {
  while (n > 0) {
    ssize_t w = ::pwrite(fd, p, n, offset);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Errno("writing " + name);
    }
    p += w;
    offset += w;
    n -= static_cast<size_t>(w);
  }
  return Status::OK();
}

// Writes every byte of the parts at `offset`, resuming after a short write.
Status WriteVectorAt(int fd, iovec* parts, int count, off_t offset, const std::string& name) {
  while (count > 0) {
    ssize_t w = ::pwritev(fd, parts, count, offset);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Errno("writing " + name);
    }
    offset += w;
    auto left = static_cast<size_t>(w);
    while (count > 0 && left >= parts->iov_len) {
      left -= parts->iov_len;
      ++parts;
      --count;
    }
    if (count > 0) {
      parts->iov_base = static_cast<char*>(parts->iov_base) + left;
      parts->iov_len -= left;
    }
  }
  return Status::OK();
}

bool AllZero(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; });
}

}  // namespace

RedoRecordReader::Result RedoRecordReader::Next(std::string_view* payload) {
  if (offset_ == 0) {
    if (file_.size() < kRedoMagic.size()) return Result::kTorn;  // died before the magic
    if (file_.substr(0, kRedoMagic.size()) != kRedoMagic) return Result::kBadMagic;
    offset_ = kRedoMagic.size();
  }
  if (offset_ == file_.size()) return Result::kEnd;
  // Preallocated space: a log file is zero-filled ahead of its records (RedoLog::Append), and
  // a record's length is never 0. Zeros to the end are a clean end; anything else after them
  // is what a torn append leaves.
  if (AllZero(file_.substr(offset_))) return Result::kEnd;
  if (file_.size() - offset_ < kHeaderBytes) return Result::kTorn;
  uint32_t length = DecodeFixed32BE(file_.data() + offset_);
  uint32_t crc = UnmaskCrc(DecodeFixed32BE(file_.data() + offset_ + 4));
  if (length > kMaxRecordBytes || file_.size() - offset_ - kHeaderBytes < length) {
    return Result::kTorn;
  }
  std::string_view body = file_.substr(offset_ + kHeaderBytes, length);
  if (Crc32c(body) != crc) return Result::kTorn;
  *payload = body;
  offset_ += kHeaderBytes + length;
  return Result::kRecord;
}

namespace {

// The payload's framing before its parts (see redo_log.h).
std::string PayloadPrefix(std::span<const RedoSegment> segments) {
  std::string out;
  if (segments.size() == 1) {
    PutFixed32BE(&out, static_cast<uint32_t>(segments[0].applied.size()));
    return out;
  }
  PutFixed32BE(&out, kRedoSegmented);
  PutFixed32BE(&out, static_cast<uint32_t>(segments.size()));
  for (const RedoSegment& seg : segments) {
    PutFixed32BE(&out, static_cast<uint32_t>(seg.applied.size()));
    PutFixed32BE(&out, static_cast<uint32_t>(seg.deferred.size()));
  }
  return out;
}

}  // namespace

std::string EncodeRedoPayload(std::span<const RedoSegment> segments) {
  std::string out = PayloadPrefix(segments);
  for (const RedoSegment& seg : segments) {
    out.append(seg.applied);
    out.append(seg.deferred);
  }
  return out;
}

bool DecodeRedoPayload(std::string_view payload, std::vector<RedoSegment>* segments) {
  segments->clear();
  if (payload.size() < 4) return false;
  const uint32_t first = DecodeFixed32BE(payload.data());
  if (first != kRedoSegmented) {
    if (payload.size() - 4 < first) return false;
    segments->push_back({payload.substr(4, first), payload.substr(4 + first)});
    return true;
  }
  if (payload.size() < 8) return false;
  const uint64_t n = DecodeFixed32BE(payload.data() + 4);
  // Each segment takes 8 bytes of lengths, so a count the payload cannot hold is malformed
  // before anything is reserved for it.
  // One segment is always written in the single-segment layout.
  if (n < 2 || n > (payload.size() - 8) / 8) return false;
  size_t lengths = 8;
  size_t at = 8 + 8 * n;
  for (uint64_t i = 0; i < n; ++i, lengths += 8) {
    const size_t applied = DecodeFixed32BE(payload.data() + lengths);
    const size_t deferred = DecodeFixed32BE(payload.data() + lengths + 4);
    if (payload.size() - at < applied) return false;
    RedoSegment seg;
    seg.applied = payload.substr(at, applied);
    at += applied;
    if (payload.size() - at < deferred) return false;
    seg.deferred = payload.substr(at, deferred);
    at += deferred;
    segments->push_back(seg);
  }
  return at == payload.size();
}

std::string RedoFileName(const std::string& dir, uint64_t number) {
  char name[32];
  std::snprintf(name, sizeof(name), "%016llx", static_cast<unsigned long long>(number));
  return dir + "/" + name + std::string(kSuffix);
}

StatusOr<std::vector<uint64_t>> RedoLog::List(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create '" + dir + "': " + ec.message());
  std::vector<uint64_t> numbers;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() != 16 + kSuffix.size() || !name.ends_with(kSuffix)) continue;
    char* end = nullptr;
    unsigned long long n = std::strtoull(name.c_str(), &end, 16);
    if (end != name.c_str() + 16) continue;
    numbers.push_back(n);
  }
  if (ec) return Status::IOError("cannot list '" + dir + "': " + ec.message());
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

Status RedoLog::Replay(const std::string& dir, const std::vector<uint64_t>& numbers,
                       const std::function<Status(std::string_view payload)>& apply,
                       uint64_t* dropped_bytes) {
  *dropped_bytes = 0;
  for (size_t i = 0; i < numbers.size(); ++i) {
    std::string name = RedoFileName(dir, numbers[i]);
    std::ifstream in(name, std::ios::binary);
    if (!in) return Status::IOError("cannot read '" + name + "'");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string bytes = std::move(buffer).str();
    bool last = i + 1 == numbers.size();
    RedoRecordReader reader(bytes);
    std::string_view payload;
    while (true) {
      auto r = reader.Next(&payload);
      if (r == RedoRecordReader::Result::kRecord) {
        Status s = apply(payload);
        if (!s.ok()) {
          return Status::Corruption("'" + name + "' at offset " + std::to_string(reader.offset()) +
                                    ": " + s.ToString());
        }
        continue;
      }
      if (r == RedoRecordReader::Result::kEnd) break;
      if (r == RedoRecordReader::Result::kBadMagic) {
        return Status::Corruption("'" + name + "' is not a Strata redo log");
      }
      // Torn: acceptable only at the end of the newest file.
      if (!last) {
        return Status::Corruption("'" + name + "' is damaged at offset " +
                                  std::to_string(reader.offset()) +
                                  " and a newer log follows it: refusing to guess");
      }
      *dropped_bytes = bytes.size() - reader.offset();
      break;
    }
  }
  return Status::OK();
}

Status RedoLog::DeleteUpTo(const std::string& dir, uint64_t number) {
  auto numbers = List(dir);
  if (!numbers.ok()) return numbers.status();
  for (uint64_t n : *numbers) {
    if (n > number) break;
    std::string name = RedoFileName(dir, n);
    if (::unlink(name.c_str()) != 0 && errno != ENOENT) return Errno("removing " + name);
  }
  return Status::OK();
}

StatusOr<std::unique_ptr<RedoLog>> RedoLog::Create(const std::string& dir, uint64_t number) {
  std::unique_ptr<RedoLog> log(new RedoLog(dir, number, -1));
  Status s = log->OpenFile();
  if (!s.ok()) return s;
  return log;
}

Status RedoLog::OpenFile() {
  name_ = RedoFileName(dir_, number_);
  fd_ = ::open(name_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) return Errno("creating " + name_);
  bytes_ = 0;
  allocated_ = 0;
  Status s = WriteAll(fd_, kRedoMagic.data(), kRedoMagic.size(), 0, name_);
  if (!s.ok()) return s;
  bytes_ = allocated_ = kRedoMagic.size();
  // The new file's directory entry must survive a crash of the machine as well.
  int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return Errno("opening " + dir_);
  int rc = ::fsync(dfd);
  ::close(dfd);
  if (rc != 0) return Errno("syncing " + dir_);
  return Status::OK();
}

RedoLog::~RedoLog() {
  if (fd_ >= 0) {
    ::fdatasync(fd_);
    Close();
  }
}

// A closed file needs no room ahead: its zeros go, so that it ends at its last record. A crash
// before this, or a failure of it, is harmless: zeros are a clean end (RedoRecordReader::Next).
void RedoLog::Close() {
  if (allocated_ > bytes_ && ::ftruncate(fd_, static_cast<off_t>(bytes_)) != 0) allocated_ = 0;
  ::close(fd_);
  fd_ = -1;
}

Status RedoLog::Append(std::span<const RedoSegment> segments) {
  // The payload is framed in place (EncodeRedoPayload's layout) and written with one writev,
  // so a batch is not copied on its way to the file.
  const std::string inner = PayloadPrefix(segments);
  uint32_t crc = Crc32c(inner);
  size_t payload_bytes = inner.size();
  for (const RedoSegment& seg : segments) {
    crc = Crc32c(seg.deferred, Crc32c(seg.applied, crc));
    payload_bytes += seg.applied.size() + seg.deferred.size();
  }
  std::string header;
  PutFixed32BE(&header, static_cast<uint32_t>(payload_bytes));
  PutFixed32BE(&header, MaskCrc(crc));
  header += inner;
  std::vector<iovec> parts;
  std::string joined;  // the parts in one buffer, when there are too many for one writev
  if (segments.size() > kMaxVectorSegments) {
    for (const RedoSegment& seg : segments) {
      joined.append(seg.applied);
      joined.append(seg.deferred);
    }
    parts.push_back({header.data(), header.size()});
    parts.push_back({joined.data(), joined.size()});
  } else {
    parts.reserve(1 + 2 * segments.size());
    parts.push_back({header.data(), header.size()});
    for (const RedoSegment& seg : segments) {
      for (std::string_view part : {seg.applied, seg.deferred}) {
        if (!part.empty()) parts.push_back({const_cast<char*>(part.data()), part.size()});
      }
    }
  }
  const size_t total = 8 + payload_bytes;
  Status s = Preallocate(bytes_ + total);
  if (!s.ok()) return s;
  s = WriteVectorAt(fd_, parts.data(), static_cast<int>(parts.size()), static_cast<off_t>(bytes_),
                    name_);
  if (s.ok()) bytes_ += total;
  return s;
}

// Why zeros are written ahead: fdatasync of an append must also commit the file's new size (a
// journal commit on ext4), while fdatasync of an overwrite writes only the data. Measured on
// the 2-vCPU machine of docs/benchmarks.md, 8 KiB records each followed by fdatasync: about 6,800
// syncs/s appending, falling to 5,800 as the file grew to 64 MiB; about 10,500 steady when
// overwriting written blocks. fallocate would not do: its unwritten extents need the same
// journal commit when first written. The size change is paid once per kPreallocateBytes, by
// the next Sync.
Status RedoLog::Preallocate(uint64_t end) {
  static const std::string zeros(kPreallocateBytes, '\0');
  while (allocated_ < end) {
    Status s = WriteAll(fd_, zeros.data(), zeros.size(), static_cast<off_t>(allocated_), name_);
    if (!s.ok()) return s;
    allocated_ += zeros.size();
  }
  return Status::OK();
}

Status RedoLog::Sync() {
  if (::fdatasync(fd_) != 0) return Errno("syncing " + name_);
  return Status::OK();
}

int RedoLog::DuplicateFd() const { return ::dup(fd_); }

Status RedoLog::SyncDuplicate(int fd, const std::string& what) {
  if (fd < 0) return Status::IOError("cannot duplicate the descriptor of " + what);
  const bool ok = ::fdatasync(fd) == 0;
  Status s = ok ? Status::OK() : Errno("syncing " + what);
  ::close(fd);
  return s;
}

StatusOr<uint64_t> RedoLog::Rotate() {
  Status s = Sync();
  if (!s.ok()) return s;
  Close();
  uint64_t retired = number_++;
  s = OpenFile();
  if (!s.ok()) return s;
  return retired;
}

}  // namespace strata::storage
