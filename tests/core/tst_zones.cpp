#include "testsupport.h"
#include "zones/zones.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace bulkhead;

namespace {

const char *const ExampleZones = R"(apiVersion: bulkhead.io/v1alpha1
kind: Zones
labelKey: example.com/tier
default: low
levels:
  - {name: low,  color: "#00ff00"}
  - {name: mid,  color: "#0000ff"}
  - {name: high, color: "#ff0000"}
rules:
  - {name: no-low-to-high, from: low, to: high, action: block}
  - {name: one-step-up, maxLevelsUp: 1, action: flag}
  - {name: into-mid, to: mid, action: flag}
)";

std::string header(const std::string &levels = "levels: [{name: a}, {name: b}, {name: c}]\n")
{
    return "apiVersion: bulkhead.io/v1alpha1\nkind: Zones\ndefault: a\n" + levels;
}

Zones zonesOrDie(const std::string &text)
{
    auto zones = loadZonesText(text, "zones.yaml");
    if (!zones)
        qFatal("%s", zones.error().toString().c_str());
    return *zones;
}

} // namespace

class tst_Zones : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void fileWithRules();
    void levelsOmittedKeepTheDefaults();
    void loadFile();
    void validationErrors_data();
    void validationErrors();
    void assignZones_data();
    void assignZones();
    void matchRule_data();
    void matchRule();
    void maxLevelsUp();
};

void tst_Zones::defaults()
{
    const Zones zones = defaultZones();
    QCOMPARE(zones.labelKey, std::string("bulkhead.io/sensitivity"));
    QCOMPARE(zones.defaultLevel, std::string("internal"));
    QCOMPARE(zones.levels, (std::vector<ZoneLevel>{{"public", "#3fa34d"},
                                                   {"internal", "#2f6fde"},
                                                   {"confidential", "#e08a00"},
                                                   {"restricted", "#d63a3a"}}));
    QVERIFY(zones.rules.empty());
    QCOMPARE(zones.levelIndex("public"), 0);
    QCOMPARE(zones.levelIndex("restricted"), 3);
    QCOMPARE(zones.levelIndex("secret"), -1);
    // No rules: everything is allowed.
    QVERIFY(matchZoneRule(zones, "public", "restricted") == nullptr);
}

void tst_Zones::fileWithRules()
{
    const Zones zones = zonesOrDie(ExampleZones);
    QCOMPARE(zones.labelKey, std::string("example.com/tier"));
    QCOMPARE(zones.defaultLevel, std::string("low"));
    QCOMPARE(zones.levels,
             (std::vector<ZoneLevel>{{"low", "#00ff00"}, {"mid", "#0000ff"}, {"high", "#ff0000"}}));
    QCOMPARE(zones.rules.size(), size_t(3));
    const ZoneRule &block = zones.rules[0];
    QCOMPARE(block.name, std::string("no-low-to-high"));
    QCOMPARE(block.from, std::optional<std::string>("low"));
    QCOMPARE(block.to, std::optional<std::string>("high"));
    QVERIFY(!block.maxLevelsUp);
    QCOMPARE(block.action, ZoneRule::Action::Block);
    QCOMPARE(block.sourceLine, 10);
    const ZoneRule &up = zones.rules[1];
    QVERIFY(!up.from && !up.to);
    QCOMPARE(up.maxLevelsUp, std::optional<int>(1));
    QCOMPARE(up.action, ZoneRule::Action::Flag);
    QCOMPARE(zoneActionName(up.action), std::string_view("flag"));
}

void tst_Zones::levelsOmittedKeepTheDefaults()
{
    const Zones zones
        = zonesOrDie("apiVersion: bulkhead.io/v1alpha1\nkind: Zones\n"
                     "rules: [{name: r, from: public, to: restricted, action: block}]\n");
    QCOMPARE(zones.levels, defaultZones().levels);
    QCOMPARE(zones.defaultLevel, std::string("internal"));
    QCOMPARE(zones.rules.size(), size_t(1));
}

void tst_Zones::loadFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.path().toStdString() + "/zones.yaml";
    std::ofstream(path) << ExampleZones;
    const auto zones = loadZonesFile(path);
    QVERIFY_OK(zones);
    QCOMPARE(zones->rules.size(), size_t(3));
    QCOMPARE(zones->sourceFile, path);

    const auto missing = loadZonesFile(dir.path().toStdString() + "/absent.yaml");
    QVERIFY(!missing);
    QCOMPARE(missing.error().toString(),
             dir.path().toStdString()
                 + "/absent.yaml: cannot read the zones file: No such file or directory");
}

void tst_Zones::validationErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");

    QTest::newRow("YAML syntax")
        << "kind: Zones\nlevels: [a, b\n"
        << "zones.yaml:3: YAML syntax error: end of sequence flow not found";
    QTest::newRow("not a map") << "- a\n- b\n"
                               << "zones.yaml:1: not a zones file (expected apiVersion: "
                                  "bulkhead.io/v1alpha1, kind: Zones)";
    QTest::newRow("wrong kind")
        << "apiVersion: bulkhead.io/v1alpha1\nkind: Inventory\n"
        << "zones.yaml:1: not a zones file: kind is \"Inventory\", expected Zones";
    QTest::newRow("wrong apiVersion") << "apiVersion: bulkhead.io/v2\nkind: Zones\n"
                                      << "zones.yaml:1: apiVersion: unsupported apiVersion "
                                         "\"bulkhead.io/v2\" (expected bulkhead.io/v1alpha1)";
    QTest::newRow("duplicate level")
        << QString::fromStdString(header("levels:\n- {name: a}\n- {name: b}\n- {name: a}\n"))
        << "zones.yaml:7: levels[2]: the level \"a\" is listed twice";
    QTest::newRow("default not a level")
        << "apiVersion: bulkhead.io/v1alpha1\nkind: Zones\nlevels: [{name: x}]\ndefault: y\n"
        << "zones.yaml:4: default: the default level \"y\" is not one of the levels";
    QTest::newRow("default omitted, internal not a level")
        << "apiVersion: bulkhead.io/v1alpha1\nkind: Zones\nlevels: [{name: x}]\n"
        << "zones.yaml:1: default: the default level \"internal\" is not one of the levels";
    QTest::newRow("bad colour")
        << QString::fromStdString(header("levels:\n- {name: a, color: red}\n"))
        << "zones.yaml:5: levels[0].color: \"red\" is not a colour (#rrggbb)";
    QTest::newRow("rule names an unknown level")
        << QString::fromStdString(header() + "rules:\n- {name: r, from: a, to: z, action: block}\n")
        << "zones.yaml:6: rules[0].to: rule \"r\" names an unknown level \"z\"";
    QTest::newRow("bad action")
        << QString::fromStdString(header() + "rules:\n- name: r\n  action: deny\n")
        << "zones.yaml:7: rules[0].action: \"deny\" is not an action (block or flag)";
    QTest::newRow("no action")
        << QString::fromStdString(header() + "rules:\n- {name: r, from: a}\n")
        << "zones.yaml:6: rules[0]: rule \"r\" has no action (block or flag)";
    QTest::newRow("negative maxLevelsUp")
        << QString::fromStdString(header()
                                  + "rules:\n- name: r\n  maxLevelsUp: -1\n  action: flag\n")
        << "zones.yaml:7: rules[0].maxLevelsUp: maxLevelsUp must be a number of levels, 0 or more";
    QTest::newRow("maxLevelsUp not a number")
        << QString::fromStdString(header()
                                  + "rules:\n- {name: r, maxLevelsUp: two, action: flag}\n")
        << "zones.yaml:6: rules[0].maxLevelsUp: expected a number, found \"two\"";
    QTest::newRow("duplicate rule name")
        << QString::fromStdString(
               header() + "rules:\n- {name: r, action: flag}\n- {name: r, action: block}\n")
        << "zones.yaml:7: rules[1]: the rule name \"r\" is used twice";
    QTest::newRow("rule without name")
        << QString::fromStdString(header() + "rules:\n- {action: flag}\n")
        << "zones.yaml:6: rules[0]: the rule has no name";
}

void tst_Zones::validationErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const auto zones = loadZonesText(text.toStdString(), "zones.yaml");
    QVERIFY(!zones);
    QCOMPARE(QString::fromStdString(zones.error().toString()), error);
}

void tst_Zones::assignZones_data()
{
    QTest::addColumn<QString>("label"); // empty: no label
    QTest::addColumn<QString>("zone");
    QTest::addColumn<bool>("warning");

    QTest::newRow("labelled") << "restricted"
                              << "restricted" << false;
    QTest::newRow("no label: default") << ""
                                       << "internal" << false;
    QTest::newRow("unknown level: default and a warning") << "secret"
                                                          << "internal" << true;
}

void tst_Zones::assignZones()
{
    QFETCH(QString, label);
    QFETCH(QString, zone);
    QFETCH(bool, warning);

    Inventory inventory;
    Workload w;
    w.ns = "shop";
    w.name = "payments";
    w.sourceFile = "inventory.yaml";
    w.sourceLine = 7;
    w.labels["app"] = "payments";
    if (!label.isEmpty())
        w.labels["bulkhead.io/sensitivity"] = label.toStdString();
    inventory.workloads.push_back(w);

    const std::vector<InventoryWarning> warnings = bulkhead::assignZones(inventory, defaultZones());
    QCOMPARE(QString::fromStdString(inventory.workloads[0].zone), zone);
    QCOMPARE(warnings.empty(), !warning);
    if (warning) {
        QCOMPARE(warnings[0].file, std::string("inventory.yaml"));
        QCOMPARE(warnings[0].line, 7);
        QCOMPARE(warnings[0].message,
                 std::string("workload shop/payments: label bulkhead.io/sensitivity=secret names "
                             "no zone level; it is placed in the default level internal"));
    }
}

void tst_Zones::matchRule_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("rule"); // empty: allowed

    // Rules: no-low-to-high (low->high, block), one-step-up (maxLevelsUp 1), into-mid (to mid).
    QTest::newRow("first match wins over one-step-up") << "low"
                                                       << "high"
                                                       << "no-low-to-high";
    QTest::newRow("one step up is fine, then into-mid") << "low"
                                                        << "mid"
                                                        << "into-mid";
    QTest::newRow("one step up elsewhere") << "mid"
                                           << "high"
                                           << "";
    QTest::newRow("same level") << "high"
                                << "high"
                                << "";
    QTest::newRow("downwards") << "high"
                               << "low"
                               << "";
    QTest::newRow("downwards into mid") << "high"
                                        << "mid"
                                        << "into-mid";
    QTest::newRow("unknown zone: no level rule") << "nowhere"
                                                 << "high"
                                                 << "";
}

void tst_Zones::matchRule()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, rule);
    const Zones zones = zonesOrDie(ExampleZones);
    const ZoneRule *match = matchZoneRule(zones, from.toStdString(), to.toStdString());
    QCOMPARE(match ? QString::fromStdString(match->name) : QString(), rule);
}

void tst_Zones::maxLevelsUp()
{
    Zones zones = defaultZones(); // public < internal < confidential < restricted
    zones.rules.push_back({"two-up", std::nullopt, std::nullopt, 1, ZoneRule::Action::Flag});
    zones.rules.push_back({"from-public", "public", std::nullopt, 0, ZoneRule::Action::Block});
    const auto name = [&](const char *from, const char *to) {
        const ZoneRule *rule = matchZoneRule(zones, from, to);
        return rule ? rule->name : std::string();
    };
    QCOMPARE(name("public", "confidential"), std::string("two-up")); // 2 levels up > 1
    QCOMPARE(name("internal", "restricted"), std::string("two-up"));
    QCOMPARE(name("public", "internal"), std::string("from-public")); // 1 up > 0
    QCOMPARE(name("public", "public"), std::string());                // 0 up, not > 0
    QCOMPARE(name("internal", "confidential"), std::string());        // 1 up, not > 1
    QCOMPARE(name("restricted", "public"), std::string());            // downwards
}

QTEST_GUILESS_MAIN(tst_Zones)
#include "tst_zones.moc"
