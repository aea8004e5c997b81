#include "strata/store.h"

#include <chrono>
#include <thread>

#include "common/clock.h"
#include "engine/embedded_host.h"
#include "engine/engine.h"
#include "protocol/reply_reader.h"

namespace strata {
namespace {

Reply FromValue(protocol::ReplyValue&& v) {
  using In = protocol::ReplyValue::Type;
  using Out = Reply::Type;
  Reply r;
  switch (v.type) {
    case In::kSimple:
      r.type = Out::kSimpleString;
      break;
    case In::kError:
      r.type = Out::kError;
      break;
    case In::kInteger:
      r.type = Out::kInteger;
      break;
    case In::kBulk:
      r.type = Out::kBulkString;
      break;
    case In::kNull:
      r.type = Out::kNull;
      break;
    case In::kArray:
      r.type = v.is_null_aggregate ? Out::kNull : Out::kArray;
      break;
    case In::kMap:
      r.type = Out::kMap;
      break;
    case In::kSet:
      r.type = Out::kSet;
      break;
    case In::kPush:
      r.type = Out::kPush;
      break;
    case In::kDouble:
      r.type = Out::kDouble;
      break;
    case In::kBool:
      r.type = Out::kBoolean;
      break;
    case In::kVerbatim:
      r.type = Out::kVerbatim;
      break;
    case In::kBigNumber:
      r.type = Out::kBigNumber;
      break;
  }
  r.str = std::move(v.str);
  r.integer = v.integer;
  if (r.type == Out::kDouble) r.number = std::strtod(r.str.c_str(), nullptr);
  r.elements.reserve(v.elements.size());
  for (auto& e : v.elements) r.elements.push_back(FromValue(std::move(e)));
  return r;
}

}  // namespace

StatusOr<std::vector<Reply>> ParseReplies(std::string_view resp) {
  std::vector<Reply> out;
  while (!resp.empty()) {
    protocol::ReplyValue v;
    const int64_t used = protocol::ReadReply(resp, &v);
    if (used == 0) return Status::InvalidArgument("incomplete RESP reply");
    if (used < 0) return Status::Corruption("malformed RESP reply");
    out.push_back(FromValue(std::move(v)));
    resp.remove_prefix(static_cast<size_t>(used));
  }
  return out;
}

Store::Client::Client(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Store::Client::~Client() = default;
uint64_t Store::Client::id() const { return rep_->session->id; }

Store::Store(std::unique_ptr<engine::Engine> engine, std::unique_ptr<EmbeddedHost> host)
    : host_(std::move(host)), engine_(std::move(engine)) {
  engine_->state().host = host_.get();
}

Store::~Store() { engine_->state().host = nullptr; }

StatusOr<std::unique_ptr<Store>> Store::Open(const std::vector<std::string>& args) {
  auto cfg = std::make_unique<config::Config>();
  Status s = cfg->LoadFromArgs(args);
  if (s.ok()) s = cfg->Finalize();
  if (!s.ok()) return s;
  auto engine = engine::Engine::Open(std::move(cfg), SystemClock::Default(), nullptr);
  if (!engine.ok()) return engine.status();
  auto host = std::make_unique<EmbeddedHost>(&(*engine)->state());
  return std::unique_ptr<Store>(new Store(std::move(*engine), std::move(host)));
}

std::unique_ptr<Store::Client> Store::NewClient() {
  auto rep = std::make_unique<Client::Rep>();
  rep->session = engine_->NewSession();
  rep->host = host_.get();
  host_->Register(rep.get());
  return std::unique_ptr<Client>(new Client(std::move(rep)));
}

void Store::Execute(Client& client, const std::vector<std::string_view>& args, std::string* reply) {
  commands::Session& session = *client.rep_->session;
  protocol::ReplyBuilder builder(reply, session.protocol);
  if (args.empty()) return builder.Error("ERR empty command");
  if (client.rep_->killed) return builder.Error("ERR this client was closed by CLIENT KILL");
  const size_t before = reply->size();
  ExecuteOnce(client, args, reply);
  commands::ServerState& state = engine_->state();
  // CLIENT PAUSE held the command back: nobody else can end the pause here, so wait it out.
  while (session.postponed) {
    session.postponed = false;
    const int64_t wait = state.pause.end_ms - state.clock->NowMs();
    if (wait > 0) std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    ExecuteOnce(client, args, reply);
  }
  if (session.block.active) {
    // Nothing can arrive while this call runs: answer as the timeout would.
    session.block.null_array_on_timeout ? builder.NullArray() : builder.Null();
    session.block = commands::BlockRequest();
    session.stream_wait.reset();
  }
  if (host_->TakeShutdownRequest()) {
    builder.Error("ERR SHUTDOWN is not available in an embedded store: close the Store");
  }
  if (session.replies_off || session.replies_to_skip > 0) {  // CLIENT REPLY OFF / SKIP
    reply->resize(before);
    if (session.replies_to_skip > 0) --session.replies_to_skip;
  }
}

void Store::ExecuteOnce(Client& client, const std::vector<std::string_view>& args,
                        std::string* reply) {
  commands::Session& session = *client.rep_->session;
  protocol::ReplyBuilder builder(reply, session.protocol);
  const size_t before = reply->size();
  engine_->Execute(session, args, builder);
  Status s = engine_->Commit();
  if (!s.ok()) {
    // Never acknowledge what did not reach the log.
    reply->resize(before);
    builder.Error("ERR " + s.message());
  }
}

Reply Store::Run(Client& client, const std::vector<std::string_view>& args) {
  std::string raw;
  Execute(client, args, &raw);
  auto replies = ParseReplies(raw);
  if (!replies.ok()) {
    Reply r;
    r.type = Reply::Type::kError;
    r.str = "ERR " + replies.status().message();
    return r;
  }
  if (replies->empty()) return Reply{};  // CLIENT REPLY OFF: nothing was sent
  // SUBSCRIBE a b (and its kin) answers once per channel: the first confirmation is the reply,
  // the others are kept with the client's messages, after those that came before.
  if (replies->size() > 1) {
    protocol::ReplyValue first;
    const auto used = static_cast<size_t>(protocol::ReadReply(raw, &first));
    client.rep_->messages.append(raw, used);
  }
  return std::move(replies->front());
}

std::vector<Reply> Store::TakeMessages(Client& client) {
  std::string bytes;
  bytes.swap(client.rep_->messages);
  auto replies = ParseReplies(bytes);
  return replies.ok() ? std::move(*replies) : std::vector<Reply>{};
}

void Store::RunPeriodicTasks() { engine_->Cron(); }

}  // namespace strata
