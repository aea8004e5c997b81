#include "storage/batch_order.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace strata::storage {
namespace {

struct Op {
  uint32_t cf;
  bool put;
  std::string_view key;    // into the input batch's rep
  std::string_view value;  // puts only
};

class Collector : public rocksdb::WriteBatch::Handler {
 public:
  std::vector<Op> ops;
  bool unsupported = false;

  rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    ops.push_back(Op{cf, true, View(key), View(value)});
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(uint32_t cf, const rocksdb::Slice& key) override {
    ops.push_back(Op{cf, false, View(key), {}});
    return rocksdb::Status::OK();
  }
  // Anything else (range deletes, single deletes, merges) makes the batch keep its order.
  rocksdb::Status SingleDeleteCF(uint32_t, const rocksdb::Slice&) override { return Refuse(); }
  rocksdb::Status DeleteRangeCF(uint32_t, const rocksdb::Slice&, const rocksdb::Slice&) override {
    return Refuse();
  }
  rocksdb::Status MergeCF(uint32_t, const rocksdb::Slice&, const rocksdb::Slice&) override {
    return Refuse();
  }
  rocksdb::Status PutBlobIndexCF(uint32_t, const rocksdb::Slice&, const rocksdb::Slice&) override {
    return Refuse();
  }
  bool Continue() override { return !unsupported; }

 private:
  static std::string_view View(const rocksdb::Slice& s) { return {s.data(), s.size()}; }
  rocksdb::Status Refuse() {
    unsupported = true;
    return rocksdb::Status::OK();
  }
};

// Re-adds every write it is shown to `out`.
class Copier : public rocksdb::WriteBatch::Handler {
 public:
  Copier(rocksdb::WriteBatch* out, const std::vector<rocksdb::ColumnFamilyHandle*>& by_id)
      : out_(out), by_id_(by_id) {}
  bool failed = false;

  rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    if (auto* h = Handle(cf)) Check(out_->Put(h, key, value));
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(uint32_t cf, const rocksdb::Slice& key) override {
    if (auto* h = Handle(cf)) Check(out_->Delete(h, key));
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteRangeCF(uint32_t cf, const rocksdb::Slice& begin,
                                const rocksdb::Slice& end) override {
    if (auto* h = Handle(cf)) Check(out_->DeleteRange(h, begin, end));
    return rocksdb::Status::OK();
  }
  rocksdb::Status SingleDeleteCF(uint32_t, const rocksdb::Slice&) override { return Refuse(); }
  rocksdb::Status MergeCF(uint32_t, const rocksdb::Slice&, const rocksdb::Slice&) override {
    return Refuse();
  }
  rocksdb::Status PutBlobIndexCF(uint32_t, const rocksdb::Slice&, const rocksdb::Slice&) override {
    return Refuse();
  }
  bool Continue() override { return !failed; }

 private:
  rocksdb::ColumnFamilyHandle* Handle(uint32_t cf) {
    if (cf < by_id_.size() && by_id_[cf] != nullptr) return by_id_[cf];
    failed = true;
    return nullptr;
  }
  void Check(const rocksdb::Status& s) {
    if (!s.ok()) failed = true;
  }
  rocksdb::Status Refuse() {
    failed = true;
    return rocksdb::Status::OK();
  }
  rocksdb::WriteBatch* out_;
  const std::vector<rocksdb::ColumnFamilyHandle*>& by_id_;
};

}  // namespace

std::optional<rocksdb::WriteBatch> Concatenated(
    const rocksdb::WriteBatch& first, const rocksdb::WriteBatch& second,
    const std::vector<rocksdb::ColumnFamilyHandle*>& by_id) {
  rocksdb::WriteBatch out(first.GetDataSize() + second.GetDataSize());
  Copier copier(&out, by_id);
  for (const rocksdb::WriteBatch* b : {&first, &second}) {
    if (!b->Iterate(&copier).ok() || copier.failed) return std::nullopt;
  }
  return out;
}

std::optional<rocksdb::WriteBatch> SortedForInsert(
    const rocksdb::WriteBatch& batch, const std::vector<rocksdb::ColumnFamilyHandle*>& by_id) {
  if (batch.Count() < kMinEntriesToSort) return std::nullopt;
  Collector c;
  c.ops.reserve(batch.Count());
  if (!batch.Iterate(&c).ok() || c.unsupported) return std::nullopt;
  std::stable_sort(c.ops.begin(), c.ops.end(), [](const Op& a, const Op& b) {
    return a.cf != b.cf ? a.cf < b.cf : a.key < b.key;
  });
  rocksdb::WriteBatch out(batch.GetDataSize());
  for (const Op& op : c.ops) {
    if (op.cf >= by_id.size() || by_id[op.cf] == nullptr) return std::nullopt;
    rocksdb::ColumnFamilyHandle* cf = by_id[op.cf];
    rocksdb::Slice key(op.key.data(), op.key.size());
    rocksdb::Status s = op.put ? out.Put(cf, key, rocksdb::Slice(op.value.data(), op.value.size()))
                               : out.Delete(cf, key);
    if (!s.ok()) return std::nullopt;
  }
  return out;
}

}  // namespace strata::storage
