// IpAddress and Cidr (core/util/ipaddress.h): parsing what users write in inventories, policies
// and zones files, the text written back, ordering, and prefix containment.
#include "util/ipaddress.h"

#include <QtTest>

#include <set>
#include <unordered_set>

using namespace bulkhead;

class tst_IpAddress : public QObject
{
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<bool>("v6");
        QTest::addColumn<QString>("written"); // toString() of the parsed address
        QTest::newRow("IPv4") << "10.244.1.7" << true << false << "10.244.1.7";
        QTest::newRow("IPv4 zero") << "0.0.0.0" << true << false << "0.0.0.0";
        QTest::newRow("IPv4 broadcast") << "255.255.255.255" << true << false << "255.255.255.255";
        QTest::newRow("IPv6 compressed") << "fd00::1" << true << true << "fd00::1";
        QTest::newRow("IPv6 written out")
            << "2001:0db8:0000:0000:0000:0000:0000:0001" << true << true << "2001:db8::1";
        QTest::newRow("IPv6 uppercase") << "FD00::A" << true << true << "fd00::a";
        QTest::newRow("IPv6 unspecified") << "::" << true << true << "::";
        QTest::newRow("IPv4-mapped IPv6") << "::ffff:10.0.0.1" << true << true << "::ffff:10.0.0.1";
        QTest::newRow("empty") << "" << false << false << "";
        QTest::newRow("octet over 255") << "10.0.0.256" << false << false << "";
        QTest::newRow("three octets") << "10.0.1" << false << false << "";
        QTest::newRow("with prefix") << "10.0.0.0/8" << false << false << "";
        QTest::newRow("with port") << "10.0.0.1:80" << false << false << "";
        QTest::newRow("hostname") << "example.com" << false << false << "";
        QTest::newRow("two double colons") << "fd00::1::2" << false << false << "";
        QTest::newRow("leading space") << " 10.0.0.1" << false << false << "";
        QTest::newRow("46 characters") << QString(46, '1') << false << false << "";
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(bool, v6);
        QFETCH(QString, written);
        const auto address = IpAddress::parse(text.toStdString());
        QCOMPARE(address.has_value(), valid);
        if (!valid)
            return;
        QCOMPARE(address->isV6(), v6);
        QCOMPARE(address->bitLength(), v6 ? 128 : 32);
        QCOMPARE(QString::fromStdString(address->toString()), written);
    }

    // The family keeps 10.0.0.1 and ::a00:1 (the same bytes at the front) apart; IPv4 sorts first.
    void familyAndOrder()
    {
        const IpAddress v4 = *IpAddress::parse("10.0.0.1");
        const IpAddress v6 = *IpAddress::parse("a00:1::");
        QCOMPARE(v4.bytes()[0], uint8_t(10));
        QCOMPARE(v6.bytes()[0], uint8_t(10));
        QVERIFY(v4 != v6);
        QVERIFY(v4 < v6);
        const std::set<IpAddress> sorted{*IpAddress::parse("10.0.0.10"), *IpAddress::parse("::1"),
                                         *IpAddress::parse("10.0.0.9"),
                                         *IpAddress::parse("9.255.255.255")};
        std::vector<std::string> texts;
        for (const IpAddress &a : sorted)
            texts.push_back(a.toString());
        QCOMPARE(texts,
                 (std::vector<std::string>{"9.255.255.255", "10.0.0.9", "10.0.0.10", "::1"}));
        const std::unordered_set<IpAddress> set{v4, v6, *IpAddress::parse("10.0.0.1")};
        QCOMPARE(set.size(), size_t(2));
    }

    void cidrParse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("written"); // "" when refused
        QTest::addColumn<int>("prefix");
        QTest::newRow("network") << "10.244.0.0/16"
                                 << "10.244.0.0/16" << 16;
        QTest::newRow("host bits are masked") << "10.244.3.7/16"
                                              << "10.244.0.0/16" << 16;
        QTest::newRow("odd prefix") << "192.168.1.200/25"
                                    << "192.168.1.128/25" << 25;
        QTest::newRow("bare address is a host") << "10.0.0.1"
                                                << "10.0.0.1/32" << 32;
        QTest::newRow("everything") << "0.0.0.0/0"
                                    << "0.0.0.0/0" << 0;
        QTest::newRow("IPv6") << "fd00:1:2::5/48"
                              << "fd00:1:2::/48" << 48;
        QTest::newRow("IPv6 host") << "fd00::1"
                                   << "fd00::1/128" << 128;
        QTest::newRow("prefix too long") << "10.0.0.0/33"
                                         << "" << 0;
        QTest::newRow("IPv6 prefix too long") << "fd00::/129"
                                              << "" << 0;
        QTest::newRow("negative prefix") << "10.0.0.0/-1"
                                         << "" << 0;
        QTest::newRow("empty prefix") << "10.0.0.0/"
                                      << "" << 0;
        QTest::newRow("prefix with junk") << "10.0.0.0/8x"
                                          << "" << 0;
        QTest::newRow("bad address") << "10.0.0.300/8"
                                     << "" << 0;
    }
    void cidrParse()
    {
        QFETCH(QString, text);
        QFETCH(QString, written);
        QFETCH(int, prefix);
        const auto cidr = Cidr::parse(text.toStdString());
        QCOMPARE(cidr.has_value(), !written.isEmpty());
        if (!cidr)
            return;
        QCOMPARE(QString::fromStdString(cidr->toString()), written);
        QCOMPARE(cidr->prefixLength(), prefix);
    }

    void contains_data()
    {
        QTest::addColumn<QString>("cidr");
        QTest::addColumn<QString>("address");
        QTest::addColumn<bool>("inside");
        QTest::newRow("inside /16") << "10.244.0.0/16"
                                    << "10.244.255.1" << true;
        QTest::newRow("just outside /16") << "10.244.0.0/16"
                                          << "10.245.0.0" << false;
        QTest::newRow("/25 lower half") << "192.168.1.0/25"
                                        << "192.168.1.127" << true;
        QTest::newRow("/25 upper half") << "192.168.1.0/25"
                                        << "192.168.1.128" << false;
        QTest::newRow("/0 holds every IPv4") << "0.0.0.0/0"
                                             << "203.0.113.9" << true;
        QTest::newRow("/0 IPv4 holds no IPv6") << "0.0.0.0/0"
                                               << "::1" << false;
        QTest::newRow("IPv6 /64") << "fd00:0:0:1::/64"
                                  << "fd00::1:ffff:0:0:1" << true;
        QTest::newRow("IPv6 next /64") << "fd00:0:0:1::/64"
                                       << "fd00::2:0:0:0:1" << false;
        QTest::newRow("host route") << "10.0.0.1/32"
                                    << "10.0.0.1" << true;
        QTest::newRow("host route, neighbour") << "10.0.0.1/32"
                                               << "10.0.0.2" << false;
    }
    void contains()
    {
        QFETCH(QString, cidr);
        QFETCH(QString, address);
        QFETCH(bool, inside);
        QCOMPARE(
            Cidr::parse(cidr.toStdString())->contains(*IpAddress::parse(address.toStdString())),
            inside);
    }

    void containsCidr()
    {
        const Cidr wide = *Cidr::parse("10.0.0.0/8");
        QVERIFY(wide.contains(*Cidr::parse("10.1.0.0/16")));
        QVERIFY(wide.contains(wide));
        QVERIFY(!Cidr::parse("10.1.0.0/16")->contains(wide));
        QVERIFY(!wide.contains(*Cidr::parse("11.0.0.0/16")));
        QVERIFY(!wide.contains(*Cidr::parse("::/0")));
        QCOMPARE(Cidr::host(*IpAddress::parse("fd00::1")).prefixLength(), 128);
    }
};

QTEST_GUILESS_MAIN(tst_IpAddress)
#include "tst_ipaddress.moc"
