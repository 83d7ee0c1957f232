"""The Firestore v1 protobuf message classes the core speaks, taken from google-cloud-firestore.

google-cloud-firestore ships proto-plus wrappers; `.pb()` gives the raw protobuf class, which is
what gRPC handlers receive and send. The classes carry no static types, so type checkers see
them as `Any`; the aliases keep signatures readable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from google.cloud.firestore_v1.types import aggregation_result as _aggregation_result
from google.cloud.firestore_v1.types import common as _common
from google.cloud.firestore_v1.types import document as _document
from google.cloud.firestore_v1.types import firestore as _firestore
from google.cloud.firestore_v1.types import query as _query
from google.cloud.firestore_v1.types import write as _write
from google.protobuf import struct_pb2, timestamp_pb2
from google.type import latlng_pb2  # type: ignore[import-untyped]

__all__ = [
    "Aggregation",
    "BatchGetDocumentsRequest",
    "BatchGetDocumentsResponse",
    "BatchWriteRequest",
    "BatchWriteResponse",
    "BeginTransactionRequest",
    "BeginTransactionResponse",
    "CommitRequest",
    "CommitResponse",
    "CreateDocumentRequest",
    "DeleteDocumentRequest",
    "Document",
    "DocumentMask",
    "FieldTransform",
    "GetDocumentRequest",
    "ListCollectionIdsRequest",
    "ListCollectionIdsResponse",
    "ListDocumentsRequest",
    "ListDocumentsResponse",
    "QueryFieldFilter",
    "QueryFilter",
    "RollbackRequest",
    "RunAggregationQueryRequest",
    "RunAggregationQueryResponse",
    "RunQueryRequest",
    "RunQueryResponse",
    "StructuredQuery",
    "Timestamp",
    "TransactionOptions",
    "UpdateDocumentRequest",
    "Value",
    "Write",
    "WriteResult",
]

Timestamp = timestamp_pb2.Timestamp
LatLng = latlng_pb2.LatLng
NULL_VALUE = struct_pb2.NULL_VALUE

if TYPE_CHECKING:
    Document: TypeAlias = Any
    Value: TypeAlias = Any
    MapValue: TypeAlias = Any
    ArrayValue: TypeAlias = Any
    DocumentMask: TypeAlias = Any
    Precondition: TypeAlias = Any
    TransactionOptions: TypeAlias = Any
    Write: TypeAlias = Any
    WriteResult: TypeAlias = Any
    DocumentTransform: TypeAlias = Any
    FieldTransform: TypeAlias = Any
    StructuredQuery: TypeAlias = Any
    StructuredAggregationQuery: TypeAlias = Any
    Cursor: TypeAlias = Any
    QueryFilter: TypeAlias = Any
    QueryFieldFilter: TypeAlias = Any
    Aggregation: TypeAlias = Any
    AggregationResult: TypeAlias = Any
    GetDocumentRequest: TypeAlias = Any
    ListDocumentsRequest: TypeAlias = Any
    ListDocumentsResponse: TypeAlias = Any
    CreateDocumentRequest: TypeAlias = Any
    UpdateDocumentRequest: TypeAlias = Any
    DeleteDocumentRequest: TypeAlias = Any
    BatchGetDocumentsRequest: TypeAlias = Any
    BatchGetDocumentsResponse: TypeAlias = Any
    BeginTransactionRequest: TypeAlias = Any
    BeginTransactionResponse: TypeAlias = Any
    CommitRequest: TypeAlias = Any
    CommitResponse: TypeAlias = Any
    RollbackRequest: TypeAlias = Any
    RunQueryRequest: TypeAlias = Any
    RunQueryResponse: TypeAlias = Any
    RunAggregationQueryRequest: TypeAlias = Any
    RunAggregationQueryResponse: TypeAlias = Any
    ListCollectionIdsRequest: TypeAlias = Any
    ListCollectionIdsResponse: TypeAlias = Any
    BatchWriteRequest: TypeAlias = Any
    BatchWriteResponse: TypeAlias = Any
else:
    Document = _document.Document.pb()
    Value = _document.Value.pb()
    MapValue = _document.MapValue.pb()
    ArrayValue = _document.ArrayValue.pb()
    DocumentMask = _common.DocumentMask.pb()
    Precondition = _common.Precondition.pb()
    TransactionOptions = _common.TransactionOptions.pb()
    Write = _write.Write.pb()
    WriteResult = _write.WriteResult.pb()
    DocumentTransform = _write.DocumentTransform.pb()
    FieldTransform = _write.DocumentTransform.FieldTransform.pb()
    StructuredQuery = _query.StructuredQuery.pb()
    StructuredAggregationQuery = _query.StructuredAggregationQuery.pb()
    Cursor = _query.Cursor.pb()
    QueryFilter = _query.StructuredQuery.Filter.pb()
    QueryFieldFilter = _query.StructuredQuery.FieldFilter.pb()
    Aggregation = _query.StructuredAggregationQuery.Aggregation.pb()
    AggregationResult = _aggregation_result.AggregationResult.pb()
    GetDocumentRequest = _firestore.GetDocumentRequest.pb()
    ListDocumentsRequest = _firestore.ListDocumentsRequest.pb()
    ListDocumentsResponse = _firestore.ListDocumentsResponse.pb()
    CreateDocumentRequest = _firestore.CreateDocumentRequest.pb()
    UpdateDocumentRequest = _firestore.UpdateDocumentRequest.pb()
    DeleteDocumentRequest = _firestore.DeleteDocumentRequest.pb()
    BatchGetDocumentsRequest = _firestore.BatchGetDocumentsRequest.pb()
    BatchGetDocumentsResponse = _firestore.BatchGetDocumentsResponse.pb()
    BeginTransactionRequest = _firestore.BeginTransactionRequest.pb()
    BeginTransactionResponse = _firestore.BeginTransactionResponse.pb()
    CommitRequest = _firestore.CommitRequest.pb()
    CommitResponse = _firestore.CommitResponse.pb()
    RollbackRequest = _firestore.RollbackRequest.pb()
    RunQueryRequest = _firestore.RunQueryRequest.pb()
    RunQueryResponse = _firestore.RunQueryResponse.pb()
    RunAggregationQueryRequest = _firestore.RunAggregationQueryRequest.pb()
    RunAggregationQueryResponse = _firestore.RunAggregationQueryResponse.pb()
    ListCollectionIdsRequest = _firestore.ListCollectionIdsRequest.pb()
    ListCollectionIdsResponse = _firestore.ListCollectionIdsResponse.pb()
    BatchWriteRequest = _firestore.BatchWriteRequest.pb()
    BatchWriteResponse = _firestore.BatchWriteResponse.pb()
