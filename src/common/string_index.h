// An open-addressing index from a string key to a node the caller owns.
//
// Why not std::unordered_map: its lookup chases three dependent pointers (bucket -> previous
// node -> node, whose cached hash is read before the key), and a big hash, set or sorted set
// is bound by those cache misses. Here a lookup reads one slot array entry (the full 64-bit
// hash sits beside the node pointer, so almost every probe that is not a match is rejected
// without touching a node) and then the node itself: two misses. Growth rehashes from the
// stored hashes without touching the nodes.
//
// Linear probing over a power-of-two table kept at most 3/4 full; deletion shifts the probe
// run back (no tombstones), so a table that churns never slows down.
//
// `KeyOf` maps a node to its key: std::string_view KeyOf(const Node&). The index never owns,
// frees or moves nodes; the caller keeps them alive while they are indexed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "common/hash.h"

namespace strata {

template <typename Node, std::string_view (*KeyOf)(const Node&)>
class StringIndex {
 public:
  StringIndex() = default;
  StringIndex(const StringIndex&) = delete;
  StringIndex& operator=(const StringIndex&) = delete;

  // Keyed per process (MemoryHash): members are chosen by clients, and a public hash would let
  // one build probe runs as long as the table.
  static uint64_t Hash(std::string_view key) { return MemoryHash(key); }

  size_t size() const { return size_; }
  // Bytes of the slot array (for memory accounting).
  size_t slot_bytes() const { return capacity() * sizeof(Slot); }

  Node* Find(std::string_view key) const { return Find(key, Hash(key)); }
  Node* Find(std::string_view key, uint64_t hash) const {
    if (size_ == 0) return nullptr;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.node == nullptr) return nullptr;
      if (s.hash == hash && KeyOf(*s.node) == key) return s.node;
    }
  }

  // Indexes `node` under KeyOf(*node) with its precomputed `hash`.
  // REQUIRES: no node with that key is indexed.
  void Insert(Node* node, uint64_t hash) {
    if ((size_ + 1) * 4 > capacity() * 3) Grow();
    size_t i = hash & mask_;
    while (slots_[i].node != nullptr) i = (i + 1) & mask_;
    slots_[i] = Slot{hash, node};
    ++size_;
  }

  // Removes `key`; returns its node, or nullptr if it was not indexed.
  Node* Erase(std::string_view key) { return Erase(key, Hash(key)); }
  Node* Erase(std::string_view key, uint64_t hash) {
    if (size_ == 0) return nullptr;
    size_t hole = hash & mask_;
    for (;; hole = (hole + 1) & mask_) {
      const Slot& s = slots_[hole];
      if (s.node == nullptr) return nullptr;
      if (s.hash == hash && KeyOf(*s.node) == key) break;
    }
    Node* removed = slots_[hole].node;
    // Backward shift: move every later entry of the run whose home is not in (hole, j] into
    // the hole, so no probe run is ever broken by an empty slot.
    for (size_t j = (hole + 1) & mask_; slots_[j].node != nullptr; j = (j + 1) & mask_) {
      const size_t home = slots_[j].hash & mask_;
      const bool home_after_hole = ((j - home) & mask_) < ((j - hole) & mask_);
      if (home_after_hole) continue;
      slots_[hole] = slots_[j];
      hole = j;
    }
    slots_[hole] = Slot{};
    --size_;
    return removed;
  }

  // Calls fn(Node*) for every indexed node, in slot order (unspecified, but stable while the
  // index does not change). fn must not change the index.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t i = 0; i < capacity(); ++i) {
      if (slots_[i].node != nullptr) fn(slots_[i].node);
    }
  }

  // Makes room for `n` keys without growing again.
  void Reserve(size_t n) {
    size_t cap = kMinCapacity;
    while (n * 4 > cap * 3) cap *= 2;
    if (cap > capacity()) Rehash(cap);
  }

  void Clear() {
    slots_.reset();
    mask_ = 0;
    size_ = 0;
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    Node* node = nullptr;  // nullptr: empty
  };
  static constexpr size_t kMinCapacity = 8;

  size_t capacity() const { return slots_ ? mask_ + 1 : 0; }

  void Grow() { Rehash(capacity() == 0 ? kMinCapacity : capacity() * 2); }

  void Rehash(size_t new_capacity) {
    const size_t old_capacity = capacity();
    std::unique_ptr<Slot[]> old = std::move(slots_);
    slots_ = std::make_unique<Slot[]>(new_capacity);
    mask_ = new_capacity - 1;
    for (size_t k = 0; k < old_capacity; ++k) {
      if (old[k].node == nullptr) continue;
      size_t i = old[k].hash & mask_;
      while (slots_[i].node != nullptr) i = (i + 1) & mask_;
      slots_[i] = old[k];
    }
  }

  std::unique_ptr<Slot[]> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace strata
