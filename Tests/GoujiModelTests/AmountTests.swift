import Foundation
import Testing
@testable import GoujiModel
import GoujiTestSupport

@Suite struct AmountTests {
    @Test func readsPrintedAmounts() throws {
        #expect(Amount("1,414.81")?.text == "1414.81")
        #expect(Amount("1,414.81")?.decimals == 2)
        #expect(Amount("358.6315")?.text == "358.6315")
        #expect(Amount("120")?.text == "120")
        #expect(Amount("-24.18")?.mantissa == -2418)
        #expect(Amount("１，２３４．５")?.text == "1234.5")
        #expect(Amount("0.05")?.text == "0.05")
        #expect(Amount("") == nil)
        #expect(Amount("1.2.3") == nil)
        #expect(Amount("12a") == nil)
        #expect(Amount(".5") == nil)
        #expect(Amount("99999999999999999999") == nil)
    }

    @Test func arithmeticIsExact() throws {
        let a = try #require(Amount("106.1"))
        let b = try #require(Amount("106.10"))
        #expect(a.sameValue(as: b))
        #expect(a != b) // printed decimals are information
        let s = try #require(Amount.sum([Amount("0.1")!, Amount("0.2")!, Amount("0.30")!]))
        #expect(s.text == "0.60")
        #expect(Amount("2")! < Amount("10.5")!)
        #expect(Amount("3.5")!.subtracting(Amount("5")!)?.text == "-1.5")
    }

    @Test func encodesAsString() throws {
        let data = try JSONEncoder().encode(["v": Amount("1,414.81")!])
        #expect(String(decoding: data, as: UTF8.self) == #"{"v":"1414.81"}"#)
        let back = try JSONDecoder().decode([String: Amount].self, from: Data(#"{"v":"0.50"}"#.utf8))
        #expect(back["v"]?.decimals == 2)
    }
}

@Suite struct LabelTests {
    @Test func stripsEnumerators() {
        #expect(Label.normalized("一、财政拨款收入") == "财政拨款收入")
        #expect(Label.normalized("（一）一般公共预算收入") == "一般公共预算收入")
        #expect(Label.normalized("1、基本工资") == "基本工资")
        #expect(Label.normalized("(1)基本工资") == "基本工资")
        #expect(Label.normalized("一般公共预算") == "一般公共预算")
        #expect(Label.normalized("人力资源和社会保障管\n理事务") == "人力资源和社会保障管理事务")
        #expect(Label.normalized("1.5倍") == "1.5倍")
    }
}

@Suite struct DocumentCodingTests {
    @Test func goldFilesRoundTrip() throws {
        let files = try SharedData.goldFiles()
        #expect(files.count == 5)
        for f in files {
            let doc = try DocumentJSON.decode(try Data(contentsOf: f))
            #expect(doc.schema == "budget-doc/1")
            #expect(!doc.tables.isEmpty)
            let again = try DocumentJSON.decode(try DocumentJSON.encode(doc))
            #expect(again == doc)
        }
    }
}
