// The redo log: Strata's write-ahead log in the durable profiles.
//
// Every committed batch is appended here as one record before its reply leaves (and synced
// under appendfsync always); RocksDB is then written without its own WAL. RocksDB is thus a
// checkpoint that the log brings up to date: at open, every record of every log file is
// replayed, oldest first. Records hold only blind writes (Put, Delete, DeleteRange), so
// replaying a record whose effect RocksDB already has is harmless, and replaying a suffix of
// the history in order over any state at least as new as the suffix's start gives the
// latest state.
//
// Why not RocksDB's own WAL: a record may carry writes that RocksDB does not get at once (a
// string overwritten a thousand times a second reaches RocksDB once per checkpoint, see
// keyspace.h), and RocksDB's WAL cannot hold data it does not also apply.
//
// Files: <dir>/<number, 16 hex digits>.redo. A file starts with a 16-byte magic; a record is
//   fixed32 length | fixed32 masked crc32c(payload) | payload.
// The file being written is zero-filled ahead of its records (see RedoLog::Preallocate), so
// it may end in zeros; a file is cut to its last record when it is closed.
// Only the newest file can end in a torn record (the process died mid-append, so the record
// was never acknowledged); an older file was synced before the next was started, and damage
// in it is corruption.
//
// Threading: a RedoLog is used by one thread at a time (the commit pipeline's writer).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace strata::storage {

inline constexpr std::string_view kRedoMagic{"strata-redo-v1\n\0", 16};

// Splits one file's bytes into records. Pure parsing, no I/O (fuzzed: tests/fuzz).
class RedoRecordReader {
 public:
  enum class Result { kRecord, kEnd, kTorn, kBadMagic };
  explicit RedoRecordReader(std::string_view file) : file_(file) {}
  // kRecord: *payload is the next record. kEnd: the file ended cleanly. kTorn: the rest of the
  // file (from offset()) is not a whole, intact record. kBadMagic: not a redo log file.
  Result Next(std::string_view* payload);
  size_t offset() const { return offset_; }

 private:
  std::string_view file_;
  size_t offset_ = 0;
};

// A record's payload is a sequence of segments, replayed in order. Each segment holds the
// writes applied to RocksDB at once, then the writes deferred until a checkpoint (both RocksDB
// WriteBatch representations, either may be empty). Most records have one segment; a batch
// whose deferred writes must replay before some later applied writes of the same batch (a
// collection written out of memory, a FLUSHDB) is cut into several (keyspace.h).
//
// Layout, one segment:
//   fixed32 len(applied) | applied | deferred
// Several segments:
//   fixed32 kRedoSegmented | fixed32 n | n x (fixed32 len(applied) | fixed32 len(deferred)) |
//   applied[0] | deferred[0] | ... | applied[n-1] | deferred[n-1]
struct RedoSegment {
  std::string_view applied;
  std::string_view deferred;
};
inline constexpr uint32_t kRedoSegmented = 0xFFFFFFFF;  // no applied part is 4 GiB

std::string EncodeRedoPayload(std::span<const RedoSegment> segments);
inline std::string EncodeRedoPayload(std::string_view applied, std::string_view deferred) {
  const RedoSegment one{applied, deferred};
  return EncodeRedoPayload(std::span<const RedoSegment>(&one, 1));
}
// Replaces *segments with the payload's segments (views into it); false if it is malformed.
bool DecodeRedoPayload(std::string_view payload, std::vector<RedoSegment>* segments);

class RedoLog {
 public:
  // Numbers of the log files in `dir`, ascending (the directory is created if missing).
  static StatusOr<std::vector<uint64_t>> List(const std::string& dir);
  // Feeds every record of the given files, in order, to `apply`. A torn tail of the last file
  // is skipped (and reported through *dropped_bytes); damage anywhere else is Corruption.
  static Status Replay(const std::string& dir, const std::vector<uint64_t>& numbers,
                       const std::function<Status(std::string_view payload)>& apply,
                       uint64_t* dropped_bytes);
  // Removes the files numbered <= `number`.
  static Status DeleteUpTo(const std::string& dir, uint64_t number);

  // Starts a new, empty log file `number`.
  static StatusOr<std::unique_ptr<RedoLog>> Create(const std::string& dir, uint64_t number);
  ~RedoLog();

  // Appends one record (written to the OS before this returns; durable against a crash of the
  // process, and against a crash of the machine after Sync).
  // The record's payload is EncodeRedoPayload(segments), written without copying the parts.
  Status Append(std::span<const RedoSegment> segments);
  Status Append(std::string_view applied, std::string_view deferred) {
    const RedoSegment one{applied, deferred};
    return Append(std::span<const RedoSegment>(&one, 1));
  }
  Status Sync();
  // A duplicate of the current file's descriptor (-1 on error): another thread may sync it
  // with SyncDuplicate while this log goes on appending, or rotates. The caller closes it.
  int DuplicateFd() const;
  static Status SyncDuplicate(int fd, const std::string& what);
  // Syncs and closes this file and starts file number()+1. Returns the retired number.
  StatusOr<uint64_t> Rotate();
  uint64_t number() const { return number_; }
  uint64_t bytes() const { return bytes_; }  // of the current file
  const std::string& dir() const { return dir_; }

 private:
  RedoLog(std::string dir, uint64_t number, int fd)
      : dir_(std::move(dir)), number_(number), fd_(fd) {}
  Status OpenFile();
  // Zero-fills the file up to at least `end`, kPreallocateBytes at a time.
  Status Preallocate(uint64_t end);
  void Close();

  static constexpr uint64_t kPreallocateBytes = 1u << 20;
  // Past this many segments a record is copied into one buffer: writev takes at most IOV_MAX
  // (1024) parts.
  static constexpr size_t kMaxVectorSegments = 256;

  std::string dir_;
  std::string name_;  // of the current file, for error messages
  uint64_t number_;
  int fd_;
  uint64_t bytes_ = 0;      // of records (and the magic)
  uint64_t allocated_ = 0;  // bytes_ and the zeros written ahead of it
};

std::string RedoFileName(const std::string& dir, uint64_t number);
// Where a store's redo log lives: inside its RocksDB directory, which ignores it.
inline std::string RedoDir(const std::string& store_path) { return store_path + "/redo"; }

}  // namespace strata::storage
