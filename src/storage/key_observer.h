// What storage tells the layers above it about keys, so that the registries of who waits on
// or watches a key live above storage (commands/key_registry.h) and storage keeps no
// client's state. Databases are numbered as clients number them (logical).
//
// Every call is on the execution thread, during the change. The flags let storage skip the
// calls on its hot path while nobody listens; the observer keeps them current.
#pragma once

#include <functional>
#include <string_view>

namespace strata::storage {

class KeyObserver {
 public:
  virtual ~KeyObserver() = default;

  // Some key is under WATCH: storage reports every change (KeyChanged, DatabaseFlushing,
  // DatabasesSwapping's existence checks).
  bool wants_changes() const { return wants_changes_; }
  // Some client waits on a key: storage reports keys that may now serve it.
  bool wants_ready() const { return wants_ready_; }

  // A write to the key, its deletion, expiry or eviction.
  virtual void KeyChanged(int db, std::string_view key) = 0;
  // A key that may serve a waiter: a collection was created under it, a stream was appended
  // to or stopped existing, a group was created.
  virtual void KeyReady(int db, std::string_view key) = 0;
  // FLUSHDB of `db` is about to drop every key in it; `exists` answers for the keys as they
  // are before the flush.
  virtual void DatabaseFlushing(int db, const std::function<bool(std::string_view)>& exists) = 0;
  // SWAPDB a b is about to exchange the two databases; `exists(db, key)` answers as before.
  virtual void DatabasesSwapping(int a, int b,
                                 const std::function<bool(int, std::string_view)>& exists) = 0;

 protected:
  bool wants_changes_ = false;
  bool wants_ready_ = false;
};

}  // namespace strata::storage
