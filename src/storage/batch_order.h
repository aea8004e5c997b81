// Orders a write batch for the memtable.
//
// RocksDB inserts a batch's entries into its skiplist memtable in batch order. Entries that
// arrive sorted land next to each other, and the per-collection insert hint (warm_tier.cc) then
// skips most of each search; a batch of random hash fields or set members, as a pipeline of
// HSETs writes, costs a full search per entry. SortedForInsert returns the same writes ordered
// by column family and key. Writes to the same key keep their relative order, so the last one
// still wins: applying the result is equivalent to applying the input.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <optional>
#include <vector>

namespace strata::storage {

// nullopt when the batch is better applied as it is: too small to gain, or holding operations
// whose effect depends on their order relative to other keys (range deletes).
// `by_id[i]` is the handle of the column family with ID i.
std::optional<rocksdb::WriteBatch> SortedForInsert(
    const rocksdb::WriteBatch& batch, const std::vector<rocksdb::ColumnFamilyHandle*>& by_id);

// `first`'s writes followed by `second`'s, as one batch (puts, deletes and range deletes;
// nullopt if either holds anything else).
std::optional<rocksdb::WriteBatch> Concatenated(
    const rocksdb::WriteBatch& first, const rocksdb::WriteBatch& second,
    const std::vector<rocksdb::ColumnFamilyHandle*>& by_id);

// Batches with fewer entries are applied as they are.
inline constexpr uint32_t kMinEntriesToSort = 64;

}  // namespace strata::storage
