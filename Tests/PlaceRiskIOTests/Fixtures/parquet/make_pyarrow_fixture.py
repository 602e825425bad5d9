# Writes pyarrow_fixture.parquet, the foreign file ParquetTests decodes (pyarrow 26.0.1):
# non-nullable columns, no compression, data pages v1, dictionary encoding for the strings only.
import pyarrow as pa, pyarrow.parquet as pq
schema = pa.schema([pa.field("lsoa_code", pa.string(), nullable=False),
                    pa.field("month", pa.int32(), nullable=False),
                    pa.field("n", pa.int64(), nullable=False),
                    pa.field("sum_w", pa.float64(), nullable=False)])
codes = ["E01000001", "E01000002", "W01000003"]
rows = 20
t = pa.table({"lsoa_code": [codes[i % 3] for i in range(rows)],
              "month": [202001 + (i % 12) for i in range(rows)],
              "n": [i * i - 50 for i in range(rows)],
              "sum_w": [i * 0.5 - 1.25 for i in range(rows)]}, schema=schema)
pq.write_table(t, "pyarrow_fixture.parquet", compression="NONE", use_dictionary=["lsoa_code"],
               data_page_version="1.0", write_statistics=True)
