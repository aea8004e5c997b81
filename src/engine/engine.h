// The engine: configuration, keyspace, command dispatch and group commit wired together.
// The server drives it with batches (execute many, then Commit once); the public Store
// drives it one command at a time.
//
// Threading: every method on the execution thread, except that the sync callback given to
// Open runs on the WAL syncer thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "commands/context.h"
#include "config/config.h"
#include "storage/keyspace.h"
#include "types/stream_retention.h"

namespace strata::engine {

class Engine {
 public:
  // Runs on the commit pipeline's writer thread when a ticket is written; the owner forwards
  // it to the execution thread and calls OnWritten there. Null for synchronous use.
  using WrittenCallback = std::function<void(uint64_t ticket)>;

  // Takes a loaded and finalized configuration.
  static StatusOr<std::unique_ptr<Engine>> Open(std::unique_ptr<config::Config> config,
                                                Clock* clock, WrittenCallback on_written);
  ~Engine();

  std::unique_ptr<commands::Session> NewSession();
  // Runs one command; its writes are staged until committed.
  void Execute(commands::Session& session, std::span<const std::string_view> args,
               protocol::ReplyBuilder& reply);
  // Submits what is staged; returns the ticket a reply must wait for (0 = none).
  uint64_t CommitAsync() { return keyspace_->CommitAsync(); }
  void OnWritten(uint64_t ticket) { keyspace_->OnWritten(ticket); }
  bool Written(uint64_t ticket) const { return keyspace_->Written(ticket); }
  // Writes and syncs (per policy) everything staged, before returning.
  Status Commit() { return keyspace_->Commit(); }
  // The ticket covering every change so far, without submitting (0: all written).
  uint64_t PendingTicket() const { return keyspace_->PendingTicket(); }
  // Set once a write failed: no reply that waits on a write may go out.
  const Status& write_error() const { return keyspace_->write_error(); }
  bool durable() const { return keyspace_->durable(); }
  // What clients' buffers hold, counted in used_memory.
  void SetClientBufferBytes(size_t bytes) { keyspace_->SetExternalBytes(bytes); }
  // The type of the value at `key` (logical db), nullopt if there is none: what a blocked
  // client waits for.
  StatusOr<std::optional<storage::ValueType>> KeyType(int db, std::string_view key) {
    auto e = keyspace_->Peek(db, key);
    if (!e.ok()) return e.status();
    if (*e == nullptr) return std::optional<storage::ValueType>();
    return std::optional<storage::ValueType>((*e)->type);
  }
  // Active expiry and memory enforcement; the server calls it hz times a second.
  void Cron();

  config::Config& config() { return *config_; }
  commands::ServerState& state() { return state_; }
  storage::Keyspace& keyspace() { return *keyspace_; }

 private:
  Engine() = default;
  void ApplyConfigChange(std::string_view name);
  // Made visible: a cache holding many keys without a TTL
  // grows until maxmemory evicts them. Logged at most every kNoTtlWarningIntervalMs.
  void WarnAboutKeysWithoutTtl();
  static constexpr uint64_t kNoTtlWarningKeys = 1000;
  static constexpr int64_t kNoTtlWarningIntervalMs = 10 * 60 * 1000;
  int64_t no_ttl_warned_ms_ = 0;
  bool no_ttl_warned_ = false;

  std::unique_ptr<config::Config> config_;
  std::unique_ptr<storage::Keyspace> keyspace_;
  bool async_commits_ = false;
  commands::ServerState state_;
  types::StreamRetention stream_retention_;
};

}  // namespace strata::engine
