#include "engine/engine.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "commands/dispatch.h"

namespace strata::engine {

StatusOr<std::unique_ptr<Engine>> Engine::Open(std::unique_ptr<config::Config> config,
                                               Clock* clock, SyncCallback on_synced) {
  std::unique_ptr<Engine> e(new Engine());
  e->config_ = std::move(config);
  const config::ServerConfig& cfg = e->config_->values();
  storage::KeyspaceOptions ko;
  ko.profile = cfg.profile;
  ko.path = (std::filesystem::path(cfg.dir) / "strata-data").string();
  ko.databases = static_cast<uint32_t>(cfg.databases);
  ko.maxmemory = cfg.maxmemory;
  ko.policy = cfg.maxmemory_policy;
  ko.clock = clock;
  ko.version = STRATA_VERSION;
  auto ks = storage::Keyspace::Open(ko);
  if (!ks.ok()) return ks.status();
  e->keyspace_ = std::move(*ks);
  if (e->keyspace_->durable()) {
    e->syncer_ = std::make_unique<storage::WalSyncer>(e->keyspace_->warm(), cfg.appendfsync,
                                                      std::move(on_synced));
  }
  e->state_.config = e->config_.get();
  e->state_.keyspace = e->keyspace_.get();
  e->state_.clock = clock;
  e->state_.stats.start_ms = clock->NowMs();
  e->state_.stats.last_save_ms = clock->NowMs();
  storage::Keyspace* ksp = e->keyspace_.get();
  e->state_.save = [ksp]() -> Status {
    return ksp->durable() ? ksp->warm()->Flush() : Status::OK();
  };
  Engine* self = e.get();
  e->config_->AddListener([self](std::string_view name) { self->ApplyConfigChange(name); });
  return e;
}

Engine::~Engine() {
  if (keyspace_) {
    Status s = keyspace_->Commit();
    if (!s.ok()) spdlog::error("final commit failed: {}", s.ToString());
  }
  syncer_.reset();  // its destructor performs a last sync
}

void Engine::ApplyConfigChange(std::string_view name) {
  const config::ServerConfig& cfg = config_->values();
  if (name == "maxmemory" || name == "maxmemory-policy") {
    keyspace_->SetMaxMemory(cfg.maxmemory, cfg.maxmemory_policy);
  } else if (name == "appendfsync") {
    if (syncer_) syncer_->SetPolicy(cfg.appendfsync);
  } else if (name == "loglevel") {
    spdlog::set_level(spdlog::level::from_str(cfg.loglevel == "notice"    ? "info"
                                              : cfg.loglevel == "verbose" ? "debug"
                                              : cfg.loglevel == "warning" ? "warn"
                                                                          : cfg.loglevel));
  }
}

std::unique_ptr<commands::Session> Engine::NewSession() {
  auto s = std::make_unique<commands::Session>();
  s->id = state_.next_client_id++;
  s->created_ms = state_.clock->NowMs();
  return s;
}

void Engine::Execute(commands::Session& session, std::span<const std::string_view> args,
                     protocol::ReplyBuilder& reply) {
  commands::Dispatch(state_, session, args, reply);
}

Status Engine::Commit() { return keyspace_->Commit(); }

bool Engine::NeedsSyncBeforeReply() const {
  return syncer_ && config_->values().appendfsync == config::FsyncPolicy::kAlways &&
         keyspace_->last_written_seq() > syncer_->synced();
}

uint64_t Engine::SequenceToSync() const { return keyspace_->last_written_seq(); }

void Engine::RequestSync(uint64_t seq) {
  if (syncer_) syncer_->Request(seq);
}

uint64_t Engine::SyncedSequence() const { return syncer_ ? syncer_->synced() : 0; }

Status Engine::SyncNow() {
  if (!keyspace_->durable()) return Status::OK();
  return keyspace_->warm()->SyncWal();
}

void Engine::Cron() {
  keyspace_->SetCommandTime(state_.clock->NowMs());
  // Active expiry: a bounded slice each tick, more while the slice keeps filling up.
  for (int round = 0; round < 16; ++round) {
    auto removed = keyspace_->ActiveExpireCycle(200);
    if (!removed.ok()) {
      spdlog::warn("active expiry failed: {}", removed.status().ToString());
      break;
    }
    if (*removed < 200) break;
  }
  keyspace_->EnforceMemory();
}

}  // namespace strata::engine
