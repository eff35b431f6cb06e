package kafka.log;

public class UnifiedLog {
    public LogAppendInfo 1️⃣append(MemoryRecords records, int epoch) {
        LogAppendInfo info = analyze(records);
        if (info.valid()) {
            segment.append(records); // 2️⃣
        }
        return info;
    }
}
