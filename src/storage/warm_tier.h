// The warm tier: RocksDB, the source of truth in the session and queue profiles.
//
// Owns the DB and its column families (see key_format.h), checks the format record at open
// and refuses a directory written by another program or another format. RocksDB is the
// checkpoint of the store, not its log: batches are applied without RocksDB's WAL, after the
// commit pipeline has put them in the redo log (redo_log.h, commit_pipeline.h). Flush() makes
// everything applied so far part of the checkpoint.
//
// Thread-safety: Write from the commit pipeline's writer thread, Flush from its checkpointer,
// Get/iterators from the execution thread, concurrently (RocksDB allows it).
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace strata::storage {

class SubKeyFilterFactory;

struct WarmTierOptions {
  std::string path;            // the RocksDB directory
  uint64_t memory_budget = 0;  // maxmemory, used to size memtables and block cache; 0 = default
  uint32_t databases = 16;
  std::string version;  // of this binary, written into a new format record
};

class WarmTier {
 public:
  enum Cf { kDefault = 0, kMeta, kExpire, kData, kZScore, kCfCount };

  // The layout this binary writes. A directory in kOldestUpgradableFormat opens too; the
  // keyspace then upgrades it (Keyspace::UpgradeFormat). Any other is refused, naming both.
  static constexpr uint32_t kFormatVersion = 2;
  static constexpr uint32_t kOldestUpgradableFormat = 1;

  static StatusOr<std::unique_ptr<WarmTier>> Open(const WarmTierOptions& options);
  ~WarmTier();

  // The format record's version as RocksDB holds it now.
  StatusOr<uint32_t> ReadFormatVersion() const;
  // Puts a format record of `version` into `batch`, so it lands with the changes it describes.
  void StageFormatVersion(rocksdb::WriteBatch* batch, uint32_t version) const;

  rocksdb::ColumnFamilyHandle* cf(Cf which) const { return handles_[which]; }
  // Handles by RocksDB column family ID (as a WriteBatch names them).
  const std::vector<rocksdb::ColumnFamilyHandle*>& handles_by_id() const { return handles_by_id_; }
  rocksdb::DB* db() const { return db_.get(); }

  // Gets one value; NotFound if absent.
  Status Get(Cf which, const std::string& key, std::string* value) const;
  // Applies a batch to the memtables, without RocksDB's WAL: the caller has put the batch
  // in the redo log first (redo_log.h), and a flush (Flush) is what makes it part of the
  // checkpoint. Returns the last sequence number the batch used.
  StatusOr<uint64_t> Write(rocksdb::WriteBatch* batch);
  uint64_t LatestSequence() const { return db_->GetLatestSequenceNumber(); }
  std::unique_ptr<rocksdb::Iterator> NewIterator(Cf which) const;
  // An iterator that never leaves [lower, upper): RocksDB can then skip tombstones and files
  // outside the range instead of reading past them.
  std::unique_ptr<rocksdb::Iterator> NewBoundedIterator(Cf which, std::string lower,
                                                        std::string upper) const;

  // Bytes RocksDB holds in memory: memtables (including those being flushed), table readers
  // and the block cache.
  uint64_t MemoryUsage() const;
  uint64_t DiskUsage() const;  // live SST files
  // Flushes memtables to SST files (SAVE in durable profiles: makes restart replay short).
  Status Flush();
  // Compacts a column family's whole range (tests; operators reclaiming space at once).
  Status CompactAll(Cf which);

 private:
  WarmTier() = default;
  Status CheckOrWriteFormat(const WarmTierOptions& options, bool fresh);

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_by_id_;  // indexed by column family ID
  std::shared_ptr<rocksdb::Cache> block_cache_;
  std::shared_ptr<SubKeyFilterFactory> subkey_filter_;
};

}  // namespace strata::storage
