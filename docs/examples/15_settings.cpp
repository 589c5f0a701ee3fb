// Settings: a described struct filled from the environment and a .env file, validated.
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include <boost/describe.hpp>
#include <vivace/vivace.hpp>

struct Settings {
  std::string app_name = "Awesome API";
  vivace::Email admin_email;                                  // required: ADMIN_EMAIL
  vivace::Int<vivace::ge<1>> items_per_user = 50;             // ITEMS_PER_USER
  vivace::Int<vivace::ge<0>, vivace::le<65535>> port = 8000;  // PORT
};
BOOST_DESCRIBE_STRUCT(Settings, (), (app_name, admin_email, items_per_user, port))

// C++ cannot see initialisers: say which fields may be absent.
inline vivace::schema::model_options vivace_model(const Settings*) {
  return {.fields = {{"app_name", {.has_default = true}},
                     {"items_per_user", {.has_default = true}},
                     {"port", {.has_default = true}}}};
}

int main() try {
  auto settings = std::make_shared<Settings>(vivace::settings::load_settings<Settings>());

  vivace::App app({.title = settings->app_name});
  app.provide<Settings>(settings);
  app.get<"/info">([](vivace::Inject<Settings> s) {
    return boost::json::value{{"app_name", s->app_name},
                              {"admin_email", s->admin_email.value},
                              {"items_per_user", *s->items_per_user}};
  });

  app.run({.port = static_cast<std::uint16_t>(*settings->port)});
} catch (const vivace::settings::SettingsError& e) {
  std::cerr << e.what() << '\n';
  return 1;
}
