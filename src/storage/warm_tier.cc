#include "storage/warm_tier.h"

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/table_properties_collectors.h>
#include <rocksdb/write_buffer_manager.h>

#include <algorithm>
#include <filesystem>

#include "format.pb.h"
#include "storage/batch_order.h"
#include "storage/subkey_filter.h"

namespace strata::storage {
namespace {

constexpr char kFormatKey[] = "strata:format";
const char* const kCfNames[] = {"default", "meta", "expire", "data", "zscore"};

Status FromRocks(const rocksdb::Status& s) {
  if (s.ok()) return Status::OK();
  if (s.IsNotFound()) return Status::NotFound(s.ToString());
  if (s.IsCorruption()) return Status::Corruption(s.ToString());
  if (s.IsInvalidArgument()) return Status::InvalidArgument(s.ToString());
  return Status::IOError(s.ToString());
}

// The part of a sub-key that names its collection: db (2) | key length (4) | key | version (8)
// (key_format.h). Pushes to a list or a stream insert next to the previous insert with the same
// prefix, so a per-collection insert hint saves most of the memtable's skiplist search.
class CollectionPrefix : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "strata.CollectionPrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), PrefixLength(key));
  }
  bool InDomain(const rocksdb::Slice& key) const override { return PrefixLength(key) != 0; }

 private:
  static size_t PrefixLength(const rocksdb::Slice& key) {
    if (key.size() < 6) return 0;
    const auto* p = reinterpret_cast<const unsigned char*>(key.data()) + 2;
    size_t len = (size_t{p[0]} << 24) | (size_t{p[1]} << 16) | (size_t{p[2]} << 8) | p[3];
    size_t prefix = 6 + len + 8;
    return prefix <= key.size() ? prefix : 0;
  }
};

}  // namespace

StatusOr<std::unique_ptr<WarmTier>> WarmTier::Open(const WarmTierOptions& options) {
  std::unique_ptr<WarmTier> tier(new WarmTier());
  namespace fs = std::filesystem;
  std::error_code ec;
  bool fresh = !fs::exists(options.path, ec);
  if (!fresh) {
    // A directory that exists must be ours: either empty or holding our format record.
    if (!fs::is_directory(options.path, ec)) {
      return Status::InvalidArgument("'" + options.path + "' exists and is not a directory");
    }
    if (fs::is_empty(options.path, ec)) {
      fresh = true;
    } else if (!fs::exists(fs::path(options.path) / "CURRENT", ec)) {
      return Status::InvalidArgument("'" + options.path +
                                     "' is not empty and holds no Strata data: refusing to use it");
    }
  }

  // Memory: the block cache scales with maxmemory so that a small maxmemory gives a small
  // RocksDB footprint; the hot tier gets the rest. Memtables stay small: inserting into a
  // skiplist is the writer thread's main cost and grows with its depth (measured with
  // redis-benchmark SET -P 16: 4 MB memtables ~1.2x the throughput of 64 MB ones).
  uint64_t budget = options.memory_budget ? options.memory_budget : 1024ull << 20;
  uint64_t write_buffer = std::clamp<uint64_t>(budget / 64, 4ull << 20, 8ull << 20);
  uint64_t cache_bytes = std::clamp<uint64_t>(budget / 16, 4ull << 20, 256ull << 20);
  tier->block_cache_ = rocksdb::NewLRUCache(cache_bytes);

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = tier->block_cache_;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10, false));
  // Index and filter blocks live in the block cache (so they count against the memory
  // budget), partitioned so that a point read loads one small partition, not a whole
  // multi-megabyte filter (measured: unpartitioned, a 10M-field hash under maxmemory 64mb spent
  // 65% of its time re-reading and checksumming evicted filter blocks).
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.pin_top_level_index_and_filter = true;
  table.index_type = rocksdb::BlockBasedTableOptions::IndexType::kTwoLevelIndexSearch;
  table.partition_filters = true;
  table.metadata_block_size = 4096;

  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.write_buffer_size = write_buffer;
  cf_options.max_write_buffer_number = 3;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.compression = rocksdb::kNoCompression;

  rocksdb::DBOptions db_options;
  // All memtables together stay within a quarter of the budget, whatever the column family.
  db_options.write_buffer_manager =
      std::make_shared<rocksdb::WriteBufferManager>(std::max<uint64_t>(budget / 4, 8ull << 20));
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 5;
  // Writes skip RocksDB's WAL (the redo log is Strata's WAL), so a clean close must flush
  // the memtables; RocksDB does unless this is set.
  db_options.avoid_flush_during_shutdown = false;
  // One writer thread: concurrent memtable inserts buy nothing, and they would switch off the
  // insert hints below.
  db_options.allow_concurrent_memtable_write = false;

  // Sub-key column families get the filter that reclaims deleted collections' elements.
  tier->subkey_filter_ = std::make_shared<SubKeyFilterFactory>();
  rocksdb::ColumnFamilyOptions subkey_options = cf_options;
  subkey_options.compaction_filter_factory = tier->subkey_filter_;
  subkey_options.memtable_insert_with_hint_prefix_extractor = std::make_shared<CollectionPrefix>();
  // Queues churn: pops delete sub-keys at one end while pushes add at the other. An SST file
  // dense with deletions is compacted soon, so iterators do not keep stepping over them.
  subkey_options.table_properties_collector_factories.emplace_back(
      rocksdb::NewCompactOnDeletionCollectorFactory(/*sliding_window_size=*/4096,
                                                    /*deletion_trigger=*/1024));
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (int i = 0; i < kCfCount; ++i) {
    bool subkeys = i == kData || i == kZScore;
    cfs.emplace_back(kCfNames[i], subkeys ? subkey_options : cf_options);
  }
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, options.path, cfs, &tier->handles_, &raw);
  if (!s.ok())
    return Status::IOError("cannot open RocksDB at '" + options.path + "': " + s.ToString());
  tier->db_.reset(raw);
  for (rocksdb::ColumnFamilyHandle* h : tier->handles_) {
    if (tier->handles_by_id_.size() <= h->GetID()) tier->handles_by_id_.resize(h->GetID() + 1);
    tier->handles_by_id_[h->GetID()] = h;
  }
  tier->subkey_filter_->Attach(raw, tier->handles_[kMeta]);
  Status fs_status = tier->CheckOrWriteFormat(options, fresh);
  if (!fs_status.ok()) return fs_status;
  return tier;
}

WarmTier::~WarmTier() {
  if (db_) {
    subkey_filter_->Detach();
    rocksdb::CancelAllBackgroundWork(db_.get(), /*wait=*/true);
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close();
  }
}

Status WarmTier::CheckOrWriteFormat(const WarmTierOptions& options, bool fresh) {
  std::string raw;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), handles_[kDefault], kFormatKey, &raw);
  if (s.IsNotFound()) {
    if (!fresh) {
      return Status::InvalidArgument("'" + options.path +
                                     "' is a RocksDB directory without a Strata format record: "
                                     "refusing to use it");
    }
    proto::FormatRecord record;
    record.set_program("strata");
    record.set_format_version(kFormatVersion);
    record.set_created_by(options.version);
    record.set_databases(options.databases);
    rocksdb::WriteOptions wo;
    wo.sync = true;
    return FromRocks(db_->Put(wo, handles_[kDefault], kFormatKey, record.SerializeAsString()));
  }
  if (!s.ok()) return FromRocks(s);
  proto::FormatRecord record;
  if (!record.ParseFromString(raw) || record.program() != "strata") {
    return Status::InvalidArgument("'" + options.path +
                                   "' holds data of another program: refusing to use it");
  }
  if (record.format_version() != kFormatVersion &&
      record.format_version() != kOldestUpgradableFormat) {
    return Status::InvalidArgument(
        "'" + options.path + "' uses Strata data format " +
        std::to_string(record.format_version()) + ", this binary reads format " +
        std::to_string(kFormatVersion) + " (and upgrades format " +
        std::to_string(kOldestUpgradableFormat) + "): refusing to use it");
  }
  return Status::OK();
}

StatusOr<uint32_t> WarmTier::ReadFormatVersion() const {
  std::string raw;
  Status s = Get(kDefault, kFormatKey, &raw);
  if (!s.ok()) return s;
  proto::FormatRecord record;
  if (!record.ParseFromString(raw)) return Status::Corruption("unreadable format record");
  return record.format_version();
}

void WarmTier::StageFormatVersion(rocksdb::WriteBatch* batch, uint32_t version) const {
  std::string raw;
  Status s = Get(kDefault, kFormatKey, &raw);
  proto::FormatRecord record;
  if (s.ok()) (void)record.ParseFromString(raw);  // keeps who created it and when
  record.set_program("strata");
  record.set_format_version(version);
  batch->Put(handles_[kDefault], kFormatKey, record.SerializeAsString());
}

Status WarmTier::Get(Cf which, const std::string& key, std::string* value) const {
  return FromRocks(db_->Get(rocksdb::ReadOptions(), handles_[which], key, value));
}

StatusOr<uint64_t> WarmTier::Write(rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions wo;
  wo.disableWAL = true;
  std::optional<rocksdb::WriteBatch> sorted = SortedForInsert(*batch, handles_by_id_);
  rocksdb::Status s = db_->Write(wo, sorted ? &*sorted : batch);
  if (!s.ok()) return FromRocks(s);
  return db_->GetLatestSequenceNumber();
}

std::unique_ptr<rocksdb::Iterator> WarmTier::NewIterator(Cf which) const {
  rocksdb::ReadOptions ro;
  return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(ro, handles_[which]));
}

namespace {

// Owns the bound strings an iterator's ReadOptions point to, for the iterator's lifetime.
class BoundedIterator : public rocksdb::Iterator {
 public:
  BoundedIterator(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, std::string lower,
                  std::string upper)
      : lower_(std::move(lower)), upper_(std::move(upper)) {
    lower_slice_ = lower_;
    upper_slice_ = upper_;
    rocksdb::ReadOptions ro;
    ro.iterate_lower_bound = &lower_slice_;
    ro.iterate_upper_bound = &upper_slice_;
    it_.reset(db->NewIterator(ro, cf));
  }
  bool Valid() const override { return it_->Valid(); }
  void SeekToFirst() override { it_->SeekToFirst(); }
  void SeekToLast() override { it_->SeekToLast(); }
  void Seek(const rocksdb::Slice& target) override { it_->Seek(target); }
  void SeekForPrev(const rocksdb::Slice& target) override { it_->SeekForPrev(target); }
  void Next() override { it_->Next(); }
  void Prev() override { it_->Prev(); }
  rocksdb::Slice key() const override { return it_->key(); }
  rocksdb::Slice value() const override { return it_->value(); }
  rocksdb::Status status() const override { return it_->status(); }

 private:
  std::string lower_, upper_;
  rocksdb::Slice lower_slice_, upper_slice_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

}  // namespace

std::unique_ptr<rocksdb::Iterator> WarmTier::NewBoundedIterator(Cf which, std::string lower,
                                                                std::string upper) const {
  return std::make_unique<BoundedIterator>(db_.get(), handles_[which], std::move(lower),
                                           std::move(upper));
}

uint64_t WarmTier::MemoryUsage() const {
  uint64_t total = 0;
  for (auto* h : handles_) {
    uint64_t v = 0;
    if (db_->GetIntProperty(h, rocksdb::DB::Properties::kSizeAllMemTables, &v)) total += v;
    if (db_->GetIntProperty(h, rocksdb::DB::Properties::kEstimateTableReadersMem, &v)) total += v;
  }
  total += block_cache_->GetUsage();
  return total;
}

uint64_t WarmTier::DiskUsage() const {
  uint64_t total = 0;
  for (auto* h : handles_) {
    uint64_t v = 0;
    if (db_->GetIntProperty(h, rocksdb::DB::Properties::kTotalSstFilesSize, &v)) total += v;
  }
  return total;
}

Status WarmTier::CompactAll(Cf which) {
  rocksdb::CompactRangeOptions options;
  options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  return FromRocks(db_->CompactRange(options, handles_[which], nullptr, nullptr));
}

Status WarmTier::Flush() {
  rocksdb::FlushOptions fo;
  fo.wait = true;
  return FromRocks(db_->Flush(fo, handles_));
}

}  // namespace strata::storage
