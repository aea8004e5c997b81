// The engine: configuration, keyspace, command dispatch and group commit wired together.
// The server drives it with batches (execute many, then Commit once); the public Store
// drives it one command at a time.
//
// Threading: every method on the execution thread, except that the sync callback given to
// Open runs on the WAL syncer thread.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "commands/context.h"
#include "config/config.h"
#include "storage/keyspace.h"
#include "storage/wal_syncer.h"

namespace strata::engine {

class Engine {
 public:
  using SyncCallback = storage::WalSyncer::Callback;

  // Takes a loaded and finalized configuration.
  static StatusOr<std::unique_ptr<Engine>> Open(std::unique_ptr<config::Config> config,
                                                Clock* clock, SyncCallback on_synced);
  ~Engine();

  std::unique_ptr<commands::Session> NewSession();
  // Runs one command; its writes are staged until Commit().
  void Execute(commands::Session& session, std::span<const std::string_view> args,
               protocol::ReplyBuilder& reply);
  // Writes what the executed commands staged. Returns false on an I/O error.
  Status Commit();
  // The sequence a reply must wait for under appendfsync always (0 = nothing to wait for).
  uint64_t SequenceToSync() const;
  bool NeedsSyncBeforeReply() const;
  // Asks the syncer for a sync covering `seq` (the callback fires when done).
  void RequestSync(uint64_t seq);
  uint64_t SyncedSequence() const;
  // Blocks until everything written so far is synced (embedded use, shutdown).
  Status SyncNow();
  // Active expiry and memory enforcement; the server calls it hz times a second.
  void Cron();

  config::Config& config() { return *config_; }
  commands::ServerState& state() { return state_; }
  storage::Keyspace& keyspace() { return *keyspace_; }

 private:
  Engine() = default;
  void ApplyConfigChange(std::string_view name);

  std::unique_ptr<config::Config> config_;
  std::unique_ptr<storage::Keyspace> keyspace_;
  std::unique_ptr<storage::WalSyncer> syncer_;
  commands::ServerState state_;
};

}  // namespace strata::engine
