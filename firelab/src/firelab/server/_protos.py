"""The raw protobuf classes of the Firestore v1 API the frontends decode and encode.

google-cloud-firestore ships proto-plus wrappers; `.pb()` is the protobuf class gRPC handlers
use. Type checkers see these as `Any` (the classes carry no static types).
"""

from __future__ import annotations

from typing import Any

from google.cloud.firestore_v1.types import common as _common
from google.cloud.firestore_v1.types import document as _document
from google.cloud.firestore_v1.types import firestore as _firestore
from google.cloud.firestore_v1.types import query as _query
from google.cloud.firestore_v1.types import write as _write
from google.protobuf import empty_pb2
from google.rpc import status_pb2  # type: ignore[import-untyped]

__all__ = [
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
    "DocumentChange",
    "DocumentDelete",
    "DocumentRemove",
    "Empty",
    "ExecutePipelineRequest",
    "ExecutePipelineResponse",
    "GetDocumentRequest",
    "ListCollectionIdsRequest",
    "ListCollectionIdsResponse",
    "ListDocumentsRequest",
    "ListDocumentsResponse",
    "ListenRequest",
    "ListenResponse",
    "PartitionQueryRequest",
    "PartitionQueryResponse",
    "RollbackRequest",
    "RunAggregationQueryRequest",
    "RunAggregationQueryResponse",
    "RunQueryRequest",
    "RunQueryResponse",
    "Status",
    "StructuredQuery",
    "Target",
    "TargetChange",
    "UpdateDocumentRequest",
    "Write",
    "WriteRequest",
    "WriteResponse",
]

Empty: Any = empty_pb2.Empty
Status: Any = status_pb2.Status
Document: Any = _document.Document.pb()
DocumentMask: Any = _common.DocumentMask.pb()
StructuredQuery: Any = _query.StructuredQuery.pb()
Write: Any = _write.Write.pb()
WriteResult: Any = _write.WriteResult.pb()
DocumentChange: Any = _write.DocumentChange.pb()
DocumentDelete: Any = _write.DocumentDelete.pb()
DocumentRemove: Any = _write.DocumentRemove.pb()
ExistenceFilter: Any = _write.ExistenceFilter.pb()

GetDocumentRequest: Any = _firestore.GetDocumentRequest.pb()
ListDocumentsRequest: Any = _firestore.ListDocumentsRequest.pb()
ListDocumentsResponse: Any = _firestore.ListDocumentsResponse.pb()
CreateDocumentRequest: Any = _firestore.CreateDocumentRequest.pb()
UpdateDocumentRequest: Any = _firestore.UpdateDocumentRequest.pb()
DeleteDocumentRequest: Any = _firestore.DeleteDocumentRequest.pb()
BatchGetDocumentsRequest: Any = _firestore.BatchGetDocumentsRequest.pb()
BatchGetDocumentsResponse: Any = _firestore.BatchGetDocumentsResponse.pb()
BeginTransactionRequest: Any = _firestore.BeginTransactionRequest.pb()
BeginTransactionResponse: Any = _firestore.BeginTransactionResponse.pb()
CommitRequest: Any = _firestore.CommitRequest.pb()
CommitResponse: Any = _firestore.CommitResponse.pb()
RollbackRequest: Any = _firestore.RollbackRequest.pb()
RunQueryRequest: Any = _firestore.RunQueryRequest.pb()
RunQueryResponse: Any = _firestore.RunQueryResponse.pb()
RunAggregationQueryRequest: Any = _firestore.RunAggregationQueryRequest.pb()
RunAggregationQueryResponse: Any = _firestore.RunAggregationQueryResponse.pb()
PartitionQueryRequest: Any = _firestore.PartitionQueryRequest.pb()
PartitionQueryResponse: Any = _firestore.PartitionQueryResponse.pb()
ListCollectionIdsRequest: Any = _firestore.ListCollectionIdsRequest.pb()
ListCollectionIdsResponse: Any = _firestore.ListCollectionIdsResponse.pb()
BatchWriteRequest: Any = _firestore.BatchWriteRequest.pb()
BatchWriteResponse: Any = _firestore.BatchWriteResponse.pb()
ExecutePipelineRequest: Any = _firestore.ExecutePipelineRequest.pb()
ExecutePipelineResponse: Any = _firestore.ExecutePipelineResponse.pb()
WriteRequest: Any = _firestore.WriteRequest.pb()
WriteResponse: Any = _firestore.WriteResponse.pb()
ListenRequest: Any = _firestore.ListenRequest.pb()
ListenResponse: Any = _firestore.ListenResponse.pb()
Target: Any = _firestore.Target.pb()
TargetChange: Any = _firestore.TargetChange.pb()
