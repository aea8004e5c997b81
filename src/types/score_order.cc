#include "types/score_order.h"

namespace strata::types {

int ScoreOrder::IndexOf(const Inner* parent, const Node* child) {
  return static_cast<int>(std::find(parent->child, parent->child + parent->n, child) -
                          parent->child);
}

bool ScoreOrder::insert(const Element& e) {
  if (root_ == nullptr) {
    auto* leaf = new Leaf;
    ++leaves_;
    leaf->items[0] = e;
    leaf->n = 1;
    root_ = first_ = last_ = leaf;
    size_ = 1;
    return true;
  }
  Node* node = root_;
  while (!node->leaf) {
    auto* in = static_cast<Inner*>(node);
    auto at_or_below = [&](const Element& lo) { return !(e < lo); };
    node = in->child[std::partition_point(in->lo + 1, in->lo + in->n, at_or_below) - in->lo - 1];
  }
  auto* leaf = static_cast<Leaf*>(node);
  int idx = static_cast<int>(std::lower_bound(leaf->items, leaf->items + leaf->n, e) - leaf->items);
  if (idx < leaf->n && leaf->items[idx] == e) return false;
  ++size_;
  for (Node* c = leaf; c->parent != nullptr; c = c->parent)
    ++c->parent->count[IndexOf(c->parent, c)];
  if (leaf->n < kLeafCap) {
    std::move_backward(leaf->items + idx, leaf->items + leaf->n, leaf->items + leaf->n + 1);
    leaf->items[idx] = e;
    ++leaf->n;
    return true;
  }
  auto* right = new Leaf;
  ++leaves_;
  right->prev = leaf;
  right->next = leaf->next;
  (leaf->next ? leaf->next->prev : last_) = right;
  leaf->next = right;
  if (idx == kLeafCap && right->next == nullptr) {
    // Appending past the largest element (scores that are timestamps, say): the full leaf
    // stays full rather than being left half empty for good.
    right->items[0] = e;
    right->n = 1;
  } else {
    constexpr int kKeep = kLeafCap / 2;
    std::move(leaf->items + kKeep, leaf->items + kLeafCap, right->items);
    leaf->n = kKeep;
    right->n = kLeafCap - kKeep;
    Leaf* into = idx <= kKeep ? leaf : right;
    int at = idx <= kKeep ? idx : idx - kKeep;
    std::move_backward(into->items + at, into->items + into->n, into->items + into->n + 1);
    into->items[at] = e;
    ++into->n;
  }
  InsertAfter(leaf, right, right->items[0], static_cast<size_t>(right->n));
  return true;
}

// `right` (holding right_count elements, all >= separator and above everything under `left`)
// becomes the sibling just after `left`. The counts above `left` already include right's
// elements.
void ScoreOrder::InsertAfter(Node* left, Node* right, const Element& separator,
                             size_t right_count) {
  Inner* p = left->parent;
  if (p == nullptr) {
    auto* root = new Inner;
    ++inners_;
    root->n = 2;
    root->child[0] = left;
    root->child[1] = right;
    root->count[0] = size_ - right_count;
    root->count[1] = right_count;
    root->lo[1] = separator;
    left->parent = right->parent = root;
    root_ = root;
    return;
  }
  int i = IndexOf(p, left);
  if (p->n == kInnerCap) {
    auto* q = new Inner;
    ++inners_;
    constexpr int kKeep = kInnerCap / 2;
    size_t moved = 0;
    for (int j = kKeep; j < p->n; ++j) {
      q->child[j - kKeep] = p->child[j];
      q->count[j - kKeep] = p->count[j];
      q->lo[j - kKeep] = p->lo[j];
      p->child[j]->parent = q;
      moved += p->count[j];
    }
    q->n = p->n - kKeep;
    p->n = kKeep;
    InsertAfter(p, q, q->lo[0], moved);
    if (i >= kKeep) {
      p = q;
      i -= kKeep;
    }
  }
  for (int j = p->n; j > i + 1; --j) {
    p->child[j] = p->child[j - 1];
    p->count[j] = p->count[j - 1];
    p->lo[j] = p->lo[j - 1];
  }
  p->child[i + 1] = right;
  p->count[i + 1] = right_count;
  p->lo[i + 1] = separator;
  p->count[i] -= right_count;
  ++p->n;
  right->parent = p;
}

bool ScoreOrder::erase(const Element& e) {
  const_iterator it = find(e);
  if (it == end()) return false;
  auto* leaf = const_cast<Leaf*>(it.leaf_);
  std::move(leaf->items + it.idx_ + 1, leaf->items + leaf->n, leaf->items + it.idx_);
  --leaf->n;
  --size_;
  for (Node* c = leaf; c->parent != nullptr; c = c->parent)
    --c->parent->count[IndexOf(c->parent, c)];
  if (leaf->n == 0) {
    RemoveEmpty(leaf);
  } else {
    MergeIfSparse(leaf);
  }
  return true;
}

// Unhooks and frees a node that holds nothing (its counts above are already 0).
void ScoreOrder::RemoveEmpty(Node* node) {
  Inner* p = node->parent;
  if (node->leaf) {
    auto* leaf = static_cast<Leaf*>(node);
    (leaf->prev ? leaf->prev->next : first_) = leaf->next;
    (leaf->next ? leaf->next->prev : last_) = leaf->prev;
  }
  if (p == nullptr) {
    Delete(node);
    root_ = nullptr;
    return;
  }
  int i = IndexOf(p, node);
  Delete(node);
  RemoveChild(p, i);
}

// Drops entry i from `parent` (the child is gone or merged), then keeps the tree shallow and
// its nodes from going sparse.
void ScoreOrder::RemoveChild(Inner* parent, int i) {
  for (int j = i; j + 1 < parent->n; ++j) {
    parent->child[j] = parent->child[j + 1];
    parent->count[j] = parent->count[j + 1];
    parent->lo[j] = parent->lo[j + 1];
  }
  --parent->n;
  if (parent->n == 0) {
    RemoveEmpty(parent);
  } else if (parent == root_ && parent->n == 1) {
    root_ = parent->child[0];
    root_->parent = nullptr;
    Delete(parent);
  } else {
    MergeIfSparse(parent);
  }
}

// A node under a quarter full joins a sibling when both fit in one node. (A sparse node whose
// siblings are both too full to take it stays: its neighbours are then over three quarters
// full, so the tree as a whole stays dense.)
void ScoreOrder::MergeIfSparse(Node* node) {
  const int cap = node->leaf ? kLeafCap : kInnerCap;
  Inner* p = node->parent;
  if (p == nullptr || node->n >= cap / 4) return;
  int i = IndexOf(p, node);
  if (i + 1 < p->n && node->n + p->child[i + 1]->n <= cap) {
    MergeInto(node, p->child[i + 1], p->lo[i + 1]);
    p->count[i] += p->count[i + 1];
    RemoveChild(p, i + 1);
  } else if (i > 0 && p->child[i - 1]->n + node->n <= cap) {
    MergeInto(p->child[i - 1], node, p->lo[i]);
    p->count[i - 1] += p->count[i];
    RemoveChild(p, i);
  }
}

// Moves everything of `right` (the sibling after `left`, whose lower bound is `separator`)
// into `left` and frees `right`.
void ScoreOrder::MergeInto(Node* left, Node* right, const Element& separator) {
  if (left->leaf) {
    auto* l = static_cast<Leaf*>(left);
    auto* r = static_cast<Leaf*>(right);
    std::move(r->items, r->items + r->n, l->items + l->n);
    l->next = r->next;
    (r->next ? r->next->prev : last_) = l;
  } else {
    auto* l = static_cast<Inner*>(left);
    auto* r = static_cast<Inner*>(right);
    for (int j = 0; j < r->n; ++j) {
      l->child[l->n + j] = r->child[j];
      l->count[l->n + j] = r->count[j];
      l->lo[l->n + j] = j == 0 ? separator : r->lo[j];
      r->child[j]->parent = l;
    }
  }
  left->n += right->n;
  Delete(right);
}

void ScoreOrder::Delete(Node* node) {
  if (node->leaf) {
    delete static_cast<Leaf*>(node);
    --leaves_;
  } else {
    delete static_cast<Inner*>(node);
    --inners_;
  }
}

void ScoreOrder::clear() {
  if (root_ == nullptr) return;
  // Post-order, with a stack as deep as the tree (a handful of levels at any real size).
  std::pair<Node*, int> stack[64];
  int top = 0;
  stack[top++] = {root_, 0};
  while (top > 0) {
    auto& [node, next] = stack[top - 1];
    if (node->leaf || next == node->n) {
      Delete(node);
      --top;
      continue;
    }
    Node* child = static_cast<Inner*>(node)->child[next++];
    stack[top++] = {child, 0};
  }
  root_ = nullptr;
  first_ = last_ = nullptr;
  size_ = 0;
}

size_t ScoreOrder::rank(const_iterator it) const {
  if (it.leaf_ == nullptr) return size_;
  size_t r = static_cast<size_t>(it.idx_);
  for (const Node* c = it.leaf_; c->parent != nullptr; c = c->parent) {
    const Inner* p = c->parent;
    for (int j = 0, i = IndexOf(p, c); j < i; ++j) r += p->count[j];
  }
  return r;
}

ScoreOrder::const_iterator ScoreOrder::at(size_t rank) const {
  if (rank >= size_) return end();
  const Node* node = root_;
  while (!node->leaf) {
    auto* in = static_cast<const Inner*>(node);
    int i = 0;
    while (rank >= in->count[i]) rank -= in->count[i++];
    node = in->child[i];
  }
  return {this, static_cast<const Leaf*>(node), static_cast<int>(rank)};
}

}  // namespace strata::types
