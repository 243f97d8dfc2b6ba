// The Kubernetes name checks (core/policy/k8snames.h) that validate policies, inventories and
// generated names the way the API server would: a valid name gives no problem, an invalid one
// the sentence a user reads.
#include "policy/k8snames.h"

#include <QtTest>

using namespace bulkhead;

namespace {

QString problem(const std::string &text)
{
    return QString::fromStdString(text);
}

} // namespace

class tst_K8sNames : public QObject
{
    Q_OBJECT

private slots:
    void portName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("problem"); // "" when valid
        QTest::newRow("http") << "http"
                              << "";
        QTest::newRow("grpc-web") << "grpc-web"
                                  << "";
        QTest::newRow("15 characters") << "abcdefghijklmno"
                                       << "";
        QTest::newRow("digits and a letter") << "h2c8080"
                                             << "";
        QTest::newRow("empty") << ""
                               << "a port name must be 1 to 15 characters long";
        QTest::newRow("16 characters") << "abcdefghijklmnop"
                                       << "a port name must be 1 to 15 characters long";
        QTest::newRow("uppercase")
            << "HTTP"
            << "a port name may contain only lowercase letters, digits and '-'";
        QTest::newRow("underscore")
            << "my_port"
            << "a port name may contain only lowercase letters, digits and '-'";
        QTest::newRow("a quoted number")
            << "8080"
            << "a port name must contain at least one letter (a number must not be quoted)";
        QTest::newRow("leading dash") << "-http"
                                      << "a port name must not begin or end with '-'";
        QTest::newRow("trailing dash") << "http-"
                                       << "a port name must not begin or end with '-'";
        QTest::newRow("double dash") << "h--2"
                                     << "a port name must not contain '--'";
    }
    void portName()
    {
        QFETCH(QString, name);
        QFETCH(QString, problem);
        QCOMPARE(::problem(portNameProblem(name.toStdString())), problem);
        QCOMPARE(isPortName(name.toStdString()), problem.isEmpty());
    }

    void qualifiedName_data()
    {
        const QString chars
            = "a label key must consist of alphanumerics, '-', '_' or '.', and begin and end "
              "with an alphanumeric";
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("problem");
        QTest::newRow("app") << "app"
                             << "";
        QTest::newRow("prefixed") << "app.kubernetes.io/name"
                                  << "";
        QTest::newRow("mixed case name") << "Tier_2.x"
                                         << "";
        QTest::newRow("63 characters") << QString(63, 'a') << "";
        QTest::newRow("64 characters")
            << QString(64, 'a') << "the name of a label key must be at most 63 characters";
        QTest::newRow("empty name after prefix") << "example.com/"
                                                 << "a label key must have a name";
        QTest::newRow("empty") << ""
                               << "a label key must have a name";
        QTest::newRow("uppercase prefix")
            << "Example.com/app"
            << "the prefix of a label key must be a DNS subdomain (lowercase, e.g. example.com)";
        QTest::newRow("empty prefix")
            << "/app"
            << "the prefix of a label key must be a DNS subdomain (lowercase, e.g. example.com)";
        QTest::newRow("ends with dot") << "app." << chars;
        QTest::newRow("space") << "my app" << chars;
    }
    void qualifiedName()
    {
        QFETCH(QString, key);
        QFETCH(QString, problem);
        QCOMPARE(::problem(qualifiedNameProblem(key.toStdString())), problem);
    }

    void labelValue_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty is allowed") << ""
                                          << "";
        QTest::newRow("v1.2_beta-3") << "v1.2_beta-3"
                                     << "";
        QTest::newRow("64 characters")
            << QString(64, 'x') << "a label value must be at most 63 characters";
        QTest::newRow("slash")
            << "a/b"
            << "a label value must consist of alphanumerics, '-', '_' or '.', and begin and end "
               "with an alphanumeric";
        QTest::newRow("leading dash")
            << "-x"
            << "a label value must consist of alphanumerics, '-', '_' or '.', and begin and "
               "end with an alphanumeric";
    }
    void labelValue()
    {
        QFETCH(QString, value);
        QFETCH(QString, problem);
        QCOMPARE(::problem(labelValueProblem(value.toStdString())), problem);
    }

    void dnsNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("subdomain");
        QTest::addColumn<bool>("label");
        QTest::newRow("boutique") << "boutique" << true << true;
        QTest::newRow("allow-frontend.v2") << "allow-frontend.v2" << true << false;
        QTest::newRow("uppercase") << "Boutique" << false << false;
        QTest::newRow("underscore") << "my_policy" << false << false;
        QTest::newRow("leading dash") << "-a" << false << false;
        QTest::newRow("empty label between dots") << "a..b" << false << false;
        QTest::newRow("63-character label") << QString(63, 'a') << true << true;
        QTest::newRow("64-character label") << QString(64, 'a') << false << false;
        QTest::newRow("253 characters") << QString(63, 'a') + '.' + QString(63, 'b') + '.'
                                               + QString(63, 'c') + '.' + QString(61, 'd')
                                        << true << false;
        QTest::newRow("254 characters") << QString(63, 'a') + '.' + QString(63, 'b') + '.'
                                               + QString(63, 'c') + '.' + QString(62, 'd')
                                        << false << false;
    }
    void dnsNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, subdomain);
        QFETCH(bool, label);
        QCOMPARE(dnsSubdomainProblem(name.toStdString()).empty(), subdomain);
        QCOMPARE(dnsLabelProblem(name.toStdString()).empty(), label);
    }

    void dnsMessages()
    {
        QCOMPARE(problem(dnsSubdomainProblem("")), QStringLiteral("a name is required"));
        QCOMPARE(
            problem(dnsSubdomainProblem("A")),
            QStringLiteral(
                "a name must be a DNS subdomain: lowercase letters, digits, '-' and '.', at most "
                "253 characters, beginning and ending with a letter or digit"));
        QCOMPARE(
            problem(dnsLabelProblem("a.b")),
            QStringLiteral(
                "a namespace must be a DNS label: lowercase letters, digits and '-', at most 63 "
                "characters, beginning and ending with a letter or digit"));
    }

    void systemNamespaces()
    {
        QVERIFY(isSystemNamespace("kube-system"));
        QVERIFY(isSystemNamespace("kube-public"));
        QVERIFY(isSystemNamespace("kube-node-lease"));
        QVERIFY(!isSystemNamespace("kube-systems"));
        QVERIFY(!isSystemNamespace("default"));
    }
};

QTEST_GUILESS_MAIN(tst_K8sNames)
#include "tst_k8snames.moc"
