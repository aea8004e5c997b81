// The (score, member) order of a sorted set held in memory, with ranks.
//
// A B+tree: elements sit in leaves of up to kLeafCap, chained both ways for iteration; each
// inner node keeps, per child, the number of elements below it and a lower bound of its
// elements. Why not std::set: a red-black tree costs a cache miss per level (17 levels at
// 100,000 members, most of ZADD's time on the 2-vCPU machine of docs/benchmarks.md), and it cannot say
// an element's rank without walking to it, which would make ZRANK, ZCOUNT and ZRANGE by index
// linear where Redis's are logarithmic. Here a lookup touches about three nodes at that size,
// and rank(), at() and counts between two positions are O(log n).
//
// Elements are (score, member view): the member's bytes belong to the caller (ZSetObject keeps
// them as its score map's keys). Any insert or erase invalidates every iterator.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <utility>

namespace strata::types {

// A position among scores for ordered lookups: before every element with `score`, or (after)
// past all of them.
struct ScoreBound {
  double score;
  bool after;
};

// (score, member) order, plus ScoreBound lookups into the same order.
struct ZOrder {
  using Element = std::pair<double, std::string_view>;
  bool operator()(const Element& a, const Element& b) const { return a < b; }
  bool operator()(const Element& a, const ScoreBound& b) const {
    return a.first < b.score || (b.after && a.first == b.score);
  }
  bool operator()(const ScoreBound& a, const Element& b) const {
    return a.score < b.first || (!a.after && a.score == b.first);
  }
};

class ScoreOrder {
 public:
  using Element = ZOrder::Element;
  static constexpr int kLeafCap = 64;
  static constexpr int kInnerCap = 64;

 private:
  struct Inner;
  struct Node {
    explicit Node(bool is_leaf) : leaf(is_leaf) {}
    Inner* parent = nullptr;
    int n = 0;  // elements of a leaf, children of an inner node
    const bool leaf;
  };
  struct Leaf : Node {
    Leaf() : Node(true) {}
    Leaf* prev = nullptr;
    Leaf* next = nullptr;
    Element items[kLeafCap];
  };
  struct Inner : Node {
    Inner() : Node(false) {}
    Node* child[kInnerCap];
    size_t count[kInnerCap];  // elements under child[i]
    // For i >= 1: every element under child[i] is >= lo[i], every one under child[i-1] is
    // below it. lo[0] is not used.
    Element lo[kInnerCap];
  };

 public:
  class const_iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = Element;
    using difference_type = std::ptrdiff_t;
    using pointer = const Element*;
    using reference = const Element&;

    const_iterator() = default;
    reference operator*() const { return leaf_->items[idx_]; }
    pointer operator->() const { return &leaf_->items[idx_]; }
    const_iterator& operator++() {
      if (++idx_ == leaf_->n) {
        leaf_ = leaf_->next;
        idx_ = 0;
      }
      return *this;
    }
    const_iterator& operator--() {
      if (leaf_ == nullptr) {
        leaf_ = tree_->last_;
        idx_ = leaf_->n - 1;
      } else if (idx_ == 0) {
        leaf_ = leaf_->prev;
        idx_ = leaf_->n - 1;
      } else {
        --idx_;
      }
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++*this;
      return old;
    }
    const_iterator operator--(int) {
      const_iterator old = *this;
      --*this;
      return old;
    }
    bool operator==(const const_iterator& o) const { return leaf_ == o.leaf_ && idx_ == o.idx_; }

   private:
    friend class ScoreOrder;
    const_iterator(const ScoreOrder* tree, const Leaf* leaf, int idx)
        : tree_(tree), leaf_(leaf), idx_(idx) {}
    const ScoreOrder* tree_ = nullptr;
    const Leaf* leaf_ = nullptr;  // nullptr: end()
    int idx_ = 0;
  };

  ScoreOrder() = default;
  ~ScoreOrder() { clear(); }
  ScoreOrder(const ScoreOrder&) = delete;
  ScoreOrder& operator=(const ScoreOrder&) = delete;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const_iterator begin() const { return {this, first_, 0}; }
  const_iterator end() const { return {this, nullptr, 0}; }

  // False (and no change) if `e` is already there.
  bool insert(const Element& e);
  bool erase(const Element& e);
  void clear();

  // The first element not below `key` / above `key` (key: an Element or a ScoreBound).
  template <typename Key>
  const_iterator lower_bound(const Key& key) const {
    return Seek([&](const Element& e) { return ZOrder()(e, key); });
  }
  template <typename Key>
  const_iterator upper_bound(const Key& key) const {
    return Seek([&](const Element& e) { return !ZOrder()(key, e); });
  }
  const_iterator find(const Element& e) const {
    const_iterator it = lower_bound(e);
    return it != end() && *it == e ? it : end();
  }

  // How many elements come before `it` (size() for end()).
  size_t rank(const_iterator it) const;
  // The element with `rank` elements before it; end() past the last.
  const_iterator at(size_t rank) const;

  // Memory held by the nodes (for MEMORY USAGE and the hot tier's accounting).
  size_t node_bytes() const { return leaves_ * sizeof(Leaf) + inners_ * sizeof(Inner); }

 private:
  // The first element for which `before` is false; `before` must hold for a prefix of the
  // order and nowhere after it.
  template <typename Before>
  const_iterator Seek(Before before) const {
    const Node* node = root_;
    if (node == nullptr) return end();
    while (!node->leaf) {
      auto* in = static_cast<const Inner*>(node);
      node = in->child[std::partition_point(in->lo + 1, in->lo + in->n, before) - in->lo - 1];
    }
    auto* leaf = static_cast<const Leaf*>(node);
    int idx = static_cast<int>(std::partition_point(leaf->items, leaf->items + leaf->n, before) -
                               leaf->items);
    if (idx == leaf->n) return {this, leaf->next, 0};
    return {this, leaf, idx};
  }

  static int IndexOf(const Inner* parent, const Node* child);
  void InsertAfter(Node* left, Node* right, const Element& separator, size_t right_count);
  void RemoveEmpty(Node* node);
  void RemoveChild(Inner* parent, int i);
  void MergeIfSparse(Node* node);
  void MergeInto(Node* left, Node* right, const Element& separator);
  void Delete(Node* node);

  Node* root_ = nullptr;
  Leaf* first_ = nullptr;
  Leaf* last_ = nullptr;
  size_t size_ = 0;
  size_t leaves_ = 0;
  size_t inners_ = 0;
};

}  // namespace strata::types
