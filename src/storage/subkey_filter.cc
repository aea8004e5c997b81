#include "storage/subkey_filter.h"

#include <string>

#include "common/coding.h"
#include "common/hash.h"
#include "storage/collection.h"
#include "storage/key_format.h"

namespace strata::storage {
namespace {

class SubKeyFilter : public rocksdb::CompactionFilter {
 public:
  SubKeyFilter(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* meta) : db_(db), meta_(meta) {}

  bool Filter(int /*level*/, const rocksdb::Slice& key, const rocksdb::Slice& /*value*/,
              std::string* /*new_value*/, bool* /*value_changed*/) const override {
    // db:u16 | len:u32 | key | version:u64 | sub-key
    if (db_ == nullptr || key.size() < 14) return false;
    DbIndex db = DecodeFixed16BE(key.data());
    uint32_t len = DecodeFixed32BE(key.data() + 2);
    if (key.size() < 6 + static_cast<size_t>(len) + 8) return false;
    std::string_view user_key(key.data() + 6, len);
    uint64_t version = DecodeFixed64BE(key.data() + 6 + len);
    // Consecutive sub-keys mostly belong to one collection: remember its current version.
    if (!has_cached_ || cached_db_ != db || cached_key_ != user_key) {
      has_cached_ = true;
      cached_db_ = db;
      cached_key_.assign(user_key);
      cached_version_ = 0;  // 0 = no live collection under this name
      std::string raw;
      rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), meta_,
                                   EncodeMetaKey(db, KeyHash64(user_key), user_key), &raw);
      if (!s.ok() && !s.IsNotFound()) {
        has_cached_ = false;
        return false;  // unsure: keep it, a later compaction decides
      }
      if (s.ok()) {
        auto meta = DecodeMetaValue(raw);
        if (!meta) {
          has_cached_ = false;
          return false;
        }
        if (IsCollection(meta->type)) {
          auto header = DecodeCollectionHeader(meta->type, meta->payload);
          if (header) cached_version_ = header->version;
        }
      }
    }
    return cached_version_ != version;
  }

  const char* Name() const override { return "strata.SubKeyFilter"; }

 private:
  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* meta_;
  mutable bool has_cached_ = false;
  mutable DbIndex cached_db_ = 0;
  mutable std::string cached_key_;
  mutable uint64_t cached_version_ = 0;
};

}  // namespace

std::unique_ptr<rocksdb::CompactionFilter> SubKeyFilterFactory::CreateCompactionFilter(
    const rocksdb::CompactionFilter::Context&) {
  return std::make_unique<SubKeyFilter>(db_.load(), meta_.load());
}

}  // namespace strata::storage
